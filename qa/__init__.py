"""Question answering: retrieval, answer extraction, evaluation, and the service object."""
