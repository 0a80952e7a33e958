"""The language-model backend: the only code that touches a model object.

Everything else (selection, explanations, training data) talks to this small
interface, so transformers can be swapped for a faster engine (llama.cpp through
``llama-cpp-python``) without touching the rest:

* ``score_choices(prompt, choices)`` -> log-probability of each continuation
* ``generate(prompt, max_new_tokens)`` -> greedy text
* ``stream(prompt, max_new_tokens)`` -> the same text, piece by piece
* ``chat_prompt(text)`` (optional) -> the text wrapped in the model's chat template

    backend = TransformersBackend(model, tokenizer)
    backend.score_choices("Pick a letter: ", [" A", " B"])
"""
from __future__ import annotations

from typing import Iterator, Protocol, Sequence


class Backend(Protocol):
    def score_choices(self, prompt: str, choices: Sequence[str]) -> list[float]: ...

    def generate(self, prompt: str, max_new_tokens: int = 60) -> str: ...

    def stream(self, prompt: str, max_new_tokens: int = 60) -> Iterator[str]: ...


class TransformersBackend:
    """A causal LM from transformers (optionally a peft model) and its tokenizer.

    ``max_prompt_tokens`` keeps the *end* of an over-long prompt (the question
    and the candidates live there), so a huge message cannot blow up prefill.
    """

    def __init__(self, model, tokenizer, max_prompt_tokens: int = 1024):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_prompt_tokens = max_prompt_tokens  # prefill dominates CPU latency: cap it

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

    def _score_multi(self, past, first, choice_ids: list[list[int]]) -> list[float]:
        import torch

        scores = []
        for ids in choice_ids:  # small K: a loop over cached prefixes keeps memory flat
            total = float(first[ids[0]])
            if len(ids) > 1:
                cache = _copy_cache(past)
                out = self.model(input_ids=torch.tensor([ids[:-1]]), past_key_values=cache, use_cache=True)
                logp = torch.log_softmax(out.logits[0].float(), dim=-1)
                total += float(sum(logp[j, ids[j + 1]] for j in range(len(ids) - 1)))
            scores.append(total)
        return scores

    # ------------------------------------------------------------ text
    def generate(self, prompt: str, max_new_tokens: int = 60) -> str:
        return "".join(self.stream(prompt, max_new_tokens))

    def stream(self, prompt: str, max_new_tokens: int = 60) -> Iterator[str]:
        """Greedy decoding, yielding decoded text pieces as they become stable."""
        import torch

        ids = self.encode(prompt) or [self.tokenizer.bos_token_id or 0]
        eos = self._eos_ids()
        new: list[int] = []
        emitted = ""
        past = None
        inputs = torch.tensor([ids])
        with torch.no_grad():
            for _ in range(max_new_tokens):
                out = self.model(input_ids=inputs, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = int(out.logits[0, -1].argmax())
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


def _copy_cache(past):
    """A copy of a transformers KV cache so each choice extends the same prefix."""
    import copy

    return copy.deepcopy(past)
