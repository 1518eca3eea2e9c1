"""The same briefings through the provider's Batch API, built on the application's --each run:
the API driver, what a run keeps on disk (OUTDIR/.briefer-batch), the rounds and their wiring.
"""
