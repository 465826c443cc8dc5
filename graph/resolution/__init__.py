"""Record linkage: which mentions in the input are the same person, and the user's decisions on it."""
