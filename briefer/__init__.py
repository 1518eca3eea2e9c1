"""briefer: news articles in, briefings you can trust and forward out."""
