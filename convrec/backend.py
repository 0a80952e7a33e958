"""The language-model backend: the only code that touches a model object.

Everything else (selection, explanations, training data) talks to this small
interface, so transformers can be swapped for a faster engine (llama.cpp through
``llama-cpp-python``) without touching the rest:

* ``score_choices(prompt, choices)`` -> log-probability of each continuation
* ``generate(prompt, max_new_tokens)`` -> greedy text
* ``stream(prompt, max_new_tokens, limits=None)`` -> the same text, piece by piece; ``limits``
  (``WordLimits``) keeps decoding from starting a name, number or word the facts do not support
* ``chat_prompt(text)`` (optional) -> the text wrapped in the model's chat template

    backend = TransformersBackend(model, tokenizer)
    backend.score_choices("Pick a letter: ", [" A", " B"])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Protocol, Sequence


@dataclass(frozen=True)
class WordLimits:
    """Which words generated text may start, applied at every decoding step ("grounded decoding").

    A token that begins with a capital letter or holds a digit (a name, a title word, a year)
    may only be one that occurs in ``names`` (spelled as there); a word in ``never`` (lower case)
    is not started at all. A small model then cannot write "Tom Hanks" or "1997" unless the
    facts in its prompt contain them; the grounding checker still reads the result.
    """

    names: frozenset[str] = frozenset()
    never: frozenset[str] = frozenset()
    min_tokens: int = 0  # no end of text or line break before this many tokens (an answer is never empty)
    no_repeat: int = 0  # no run of this many tokens twice in the text (0: off); the 135M model otherwise
    # loops ("a documentary about a documentary about a ...") until the token limit cuts it off


class Backend(Protocol):
    def score_choices(self, prompt: str, choices: Sequence[str]) -> list[float]: ...

    def generate(self, prompt: str, max_new_tokens: int = 60, limits: WordLimits | None = None) -> str: ...

    def stream(self, prompt: str, max_new_tokens: int = 60, limits: WordLimits | None = None) -> Iterator[str]: ...


class TransformersBackend:
    """A causal LM from transformers (optionally a peft model) and its tokenizer.

    ``max_prompt_tokens`` keeps the *end* of an over-long prompt (the question
    and the candidates live there), so a huge message cannot blow up prefill.
    """

    def __init__(self, model, tokenizer, max_prompt_tokens: int = 1024):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_prompt_tokens = max_prompt_tokens  # prefill dominates CPU latency: cap it
        self._limited = None  # token ids that start a capitalised word or hold a digit (built on first use)
        self._newlines: list[int] = []  # token ids holding a line break (built with _limited)

    # ------------------------------------------------------------ helpers
    def chat_prompt(self, user_text: str) -> str:
        """The text as a user message in the model's chat template (instruct models answer
        better that way); the text itself when the tokenizer has no template."""
        if not getattr(self.tokenizer, "chat_template", None):
            return user_text
        return self.tokenizer.apply_chat_template([{"role": "user", "content": user_text}], tokenize=False,
                                                  add_generation_prompt=True)

    def encode(self, text: str) -> list[int]:
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return ids[-self.max_prompt_tokens:]

    def _eos_ids(self) -> set[int]:
        eos = self.tokenizer.eos_token_id
        ids = set(eos if isinstance(eos, list) else [eos]) if eos is not None else set()
        im_end = self.tokenizer.convert_tokens_to_ids("<|im_end|>") if hasattr(self.tokenizer, "convert_tokens_to_ids") else None
        if isinstance(im_end, int) and im_end != self.tokenizer.unk_token_id:
            ids.add(im_end)
        return ids

    # ------------------------------------------------------------ scoring
    def score_choices(self, prompt: str, choices: Sequence[str]) -> list[float]:
        """Sum of token log-probabilities of each choice after the prompt.

        When every choice is one token (the candidate labels), this is a single
        forward pass over the prompt; otherwise the prompt is encoded once and
        the choices are scored in one batch on top of its cached keys/values.
        """
        import torch

        if not choices:
            return []
        prompt_ids = self.encode(prompt)
        if not prompt_ids:
            prompt_ids = [self.tokenizer.bos_token_id or 0]
        choice_ids = [self.tokenizer(c, add_special_tokens=False)["input_ids"] for c in choices]
        if any(not ids for ids in choice_ids):
            raise ValueError("a choice encodes to no tokens")
        with torch.no_grad():
            out = self.model(input_ids=torch.tensor([prompt_ids]), use_cache=True)
            first = torch.log_softmax(out.logits[0, -1].float(), dim=-1)
            if all(len(ids) == 1 for ids in choice_ids):
                return [float(first[ids[0]]) for ids in choice_ids]
            return self._score_multi(out.past_key_values, first, choice_ids)

    def _score_multi(self, past, first, choice_ids: list[list[int]], chunk: int = 16) -> list[float]:
        """Continuations scored in batches on copies of the prompt's cache. Right padding is
        harmless under causal attention: a real token never sees the pads after it."""
        import torch

        scores = []
        for start in range(0, len(choice_ids), chunk):
            group = choice_ids[start:start + chunk]
            totals = [float(first[ids[0]]) for ids in group]
            width = max(len(ids) for ids in group) - 1
            if width > 0:
                cache = _copy_cache(past)
                cache.batch_repeat_interleave(len(group))
                pad = self.tokenizer.pad_token_id or 0
                inputs = torch.tensor([ids[:-1] + [pad] * (width - len(ids) + 1) for ids in group])
                with torch.no_grad():
                    out = self.model(input_ids=inputs, past_key_values=cache, use_cache=True)
                logp = torch.log_softmax(out.logits.float(), dim=-1)
                for b, ids in enumerate(group):
                    totals[b] += float(sum(logp[b, j, ids[j + 1]] for j in range(len(ids) - 1)))
            scores += totals
        return scores

    # ------------------------------------------------------------ text
    def generate(self, prompt: str, max_new_tokens: int = 60, limits: WordLimits | None = None) -> str:
        return "".join(self.stream(prompt, max_new_tokens, limits))

    def stream(self, prompt: str, max_new_tokens: int = 60, limits: WordLimits | None = None) -> Iterator[str]:
        """Greedy decoding, yielding decoded text pieces as they become stable."""
        import torch

        ids = self.encode(prompt) or [self.tokenizer.bos_token_id or 0]
        eos = self._eos_ids()
        blocked, sequences = self._blocked(limits) if limits is not None else (None, [])
        stops = [t for t in eos | set(self._newlines) if 0 <= t < len(blocked)] if blocked is not None else []
        new: list[int] = []
        emitted = ""
        past = None
        inputs = torch.tensor([ids])
        with torch.no_grad():
            for _ in range(max_new_tokens):
                out = self.model(input_ids=inputs, past_key_values=past, use_cache=True)
                past = out.past_key_values
                logits = out.logits[0, -1]
                if blocked is not None:
                    logits = logits.masked_fill(blocked, float("-inf"))
                    for prefix, last in sequences:  # a never-word spelled over several tokens
                        if new[len(new) - len(prefix):] == prefix:
                            logits[last] = float("-inf")
                    if len(new) < limits.min_tokens:
                        logits[stops] = float("-inf")
                    for t in _repeating(new, limits.no_repeat):
                        logits[t] = float("-inf")
                nxt = int(logits.argmax())
                if nxt in eos:
                    break
                new.append(nxt)
                text = self.tokenizer.decode(new, skip_special_tokens=True)
                if text.endswith("\ufffd"):  # half of a multi-byte character: wait for the rest
                    inputs = torch.tensor([[nxt]])
                    continue
                if len(text) > len(emitted):
                    yield text[len(emitted):]
                    emitted = text
                inputs = torch.tensor([[nxt]])

    # ------------------------------------------------------------ grounded decoding
    def _limited_tokens(self):
        """Bool mask over the vocabulary: tokens that begin a capitalised word or hold a digit."""
        import torch

        if self._limited is None:
            n = self.model.get_output_embeddings().weight.shape[0]
            pieces = self.tokenizer.batch_decode([[i] for i in range(min(n, len(self.tokenizer)))])
            flags = [_starts_name(p) for p in pieces] + [False] * (n - len(pieces))
            self._limited = torch.tensor(flags, dtype=torch.bool)
            self._newlines = [i for i, p in enumerate(pieces) if "\n" in p]
        return self._limited

    def _blocked(self, limits: WordLimits):
        """What the next step may not take: a mask of limited tokens outside ``names`` and one-token
        ``never`` words, plus (prefix, last token) pairs that would complete a longer ``never`` word."""
        mask = self._limited_tokens().clone()
        forms = [form for w in sorted(limits.names) for form in (w, " " + w)]
        allowed = {t for ids in (self.tokenizer(forms, add_special_tokens=False)["input_ids"] if forms else []) for t in ids}
        for t in allowed | self._eos_ids():
            if 0 <= t < len(mask):
                mask[t] = False
        sequences = []
        for w in limits.never:
            for form in (" " + w, " " + w.capitalize(), "-" + w):  # "-drama": no "comedy-drama" for a comedy
                toks = self.tokenizer(form, add_special_tokens=False)["input_ids"]
                if len(toks) == 1:
                    mask[toks[0]] = True
                elif toks:
                    sequences.append((toks[:-1], toks[-1]))
        return mask, sequences


def _repeating(new: list[int], n: int) -> set[int]:
    """Tokens that would end a run of ``n`` tokens already in ``new`` (none when ``n`` is 0)."""
    if n <= 0 or len(new) < n:
        return set()
    head = new[len(new) - n + 1:]
    return {new[i + n - 1] for i in range(len(new) - n + 1) if new[i:i + n - 1] == head}


def _starts_name(piece: str) -> bool:
    """True for a token that starts a capitalised word ("Tom", " Han") or holds a digit ("19")."""
    core = piece.lstrip()
    return bool(core) and (core[0].isupper() or any(ch.isdigit() for ch in core))


def _copy_cache(past):
    """A copy of a transformers KV cache so each choice extends the same prefix."""
    import copy

    return copy.deepcopy(past)
