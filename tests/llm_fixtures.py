"""Tiny real language models for generator and training tests (no download, a few seconds).

A byte-level BPE tokenizer is trained on a small corpus in which every `` A`` .. `` Z``
candidate label becomes one token (as in LLaMA-style vocabularies), and a random
``LlamaConfig`` model (hidden 64, 2 layers) sits on top of it.
"""
from __future__ import annotations

import string

CORPUS = [
    "### Instruction: Pick the movie the user will like most. Answer with the letter of one candidate.",
    "### Input: USER: SYSTEM: Preferences: none stated Candidates: ### Response:",
    "In one or two sentences, tell the user why they may enjoy this movie. Use only the facts below.",
    "A drama directed by a famous director, starring great actors, from the year 1999.",
] * 5 + [" " + " ".join(string.ascii_uppercase)] * 30


def tiny_tokenizer(vocab_size: int = 400):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<unk>", "<pad>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", eos_token="<|im_end|>")


def tiny_model(tokenizer, seed: int = 0):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                      pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
    return LlamaForCausalLM(cfg).eval()
