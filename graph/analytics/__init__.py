"""Analytics: tie strength, centrality, paths, mentorship, alumni reach, stay-in-touch, the analyze steps."""
