"""SNS's HTTPS retry phases from a subscription's `retryPolicy`, for the delivery policy and for `validate`.

SNS retries an HTTPS delivery in four phases (immediate, pre-backoff, backoff, post-backoff) for at most
3,600 s in all, a hard limit (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html).
A retryPolicy's first retry waits `minBackoff`, so there are no immediate nor pre-backoff retries: the
backoff phase grows the wait from `minBackoff` to `maxBackoff` as long as doubling it stays below
`maxBackoff`, and the post-backoff phase retries every `maxBackoff` for the rest.
"""

from dataclasses import dataclass
from functools import cache

from deployer.primitives.topics import Subscription
from deployer.speclang.durations import seconds

SNS_HTTPS_RETRY_SECONDS = 3600
SNS_HTTPS_MAX_RETRIES = 100  # numRetries: the retries after the first delivery


@dataclass(frozen=True)
class RetryPhases:
    min_delay: int
    max_delay: int
    backoff_retries: int
    max_delay_retries: int

    @property
    def retries(self) -> int:
        return self.backoff_retries + self.max_delay_retries

    @property
    def seconds(self) -> float:
        """The time the retries take: SNS's exponential curve from min to max delay over the backoff
        phase (each wait a constant factor longer), then every max delay."""
        n = self.backoff_retries
        if n <= 1 or self.max_delay == self.min_delay:
            backoff = n * self.max_delay if n > 1 else n * self.min_delay
        else:
            factor = (self.max_delay / self.min_delay) ** (1 / (n - 1))
            backoff = sum(self.min_delay * factor ** i for i in range(n))
        return backoff + self.max_delay_retries * self.max_delay


def retry_phases(sub: Subscription) -> RetryPhases:
    """The phases of the retries SNS makes for SUB (sns_retries)."""
    return _phases(*_delays(sub), sns_retries(sub))


def _delays(sub: Subscription) -> tuple[int, int]:
    policy = sub.retry_policy
    return max(1, seconds(policy.min_backoff)), max(1, seconds(policy.max_backoff))


def _phases(low: int, high: int, retries: int) -> RetryPhases:
    doubling = 0
    while low * 2 ** doubling < high:
        doubling += 1
    backoff = min(retries, max(doubling, 1))
    return RetryPhases(low, high, backoff, retries - backoff)


def sns_retries(sub: Subscription) -> int:
    """The retries SNS makes (its numRetries): SNS counts them after the first delivery, so maxRetries
    failed deliveries are maxRetries - 1 retries, as SQS's maxReceiveCount and Pub/Sub's attempts count
    them; where maxRetries is not written (its default of 100 asks for more than SNS's hour), the most
    that fit in the hour with these backoffs."""
    if "retry_policy" in sub.model_fields_set and "max_retries" in sub.retry_policy.model_fields_set:
        return sub.retry_policy.max_retries - 1
    return most_retries(sub)


def most_retries(sub: Subscription) -> int:
    """The most retries that fit in SNS's hour with SUB's backoffs (at least one)."""
    return _most_retries(*_delays(sub))


@cache  # subscriptions share a few backoff pairs; each pair is tried at every retry count
def _most_retries(low: int, high: int) -> int:
    fitting = [n for n in range(1, SNS_HTTPS_MAX_RETRIES + 1)
               if _phases(low, high, n).seconds <= SNS_HTTPS_RETRY_SECONDS]
    return fitting[-1] if fitting else 1
