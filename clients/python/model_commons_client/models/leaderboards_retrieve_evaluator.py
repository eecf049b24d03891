from enum import StrEnum


class LeaderboardsRetrieveEvaluator(StrEnum):
    CAUSAL_LM = "causal_lm"
    FORWARD_PASS = "forward_pass"
    SENTENCE_EMBEDDING = "sentence_embedding"

    def __str__(self) -> str:
        return str(self.value)
