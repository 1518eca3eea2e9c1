"""Documents into requests: paragraph-aligned chunks under a token bound, the prompts and the JSON
Schema sent to the model; hands each chunk's request to the model boundary (llm).
"""
