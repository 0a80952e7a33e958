"""convrec: a conversational movie recommender that runs on a laptop CPU.

Stages, one module each: dialogue -> preferences -> catalog/index/retrieval -> generator -> app.
Nothing heavy is imported here.
"""
__version__ = "0.1.0"
