"""Push subscriptions: each message is POSTed to the service's `url` + `endpoint`, retried with
exponential backoff between `retryPolicy`'s bounds, and dead-lettered after `maxRetries` failures."""

import threading
from collections.abc import Callable

from deployer.local.http import post, succeeded
from deployer.local.stack import Delivery, PushQueue
from deployer.primitives.topics import RetryPolicy

Report = Callable[[str], None]


def backoff_seconds(policy: RetryPolicy, failures: int) -> float:
    """The wait after the FAILURES-th failed delivery: min, 2×min, 4×min … up to max."""
    return min(policy.max_backoff.total_seconds(), policy.min_backoff.total_seconds() * 2 ** (failures - 1))


class Pusher(threading.Thread):
    """Delivers one push subscription's messages until `stop` is set."""

    def __init__(self, name: str, queue: PushQueue, url: str, policy: RetryPolicy, stop: threading.Event,
                 report: Report):
        super().__init__(name=f"push {name}", daemon=True)
        self.subscription, self.queue, self.url, self.policy = name, queue, url, policy
        self.stop, self.report = stop, report
        self.failures: dict[str, int] = {}  # message id -> failed deliveries so far

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                deliveries = self.queue.receive()
            except Exception as err:  # noqa: BLE001 (the cloud SDK's errors: the server is stopping; try again)
                if not self.stop.wait(1):
                    self.report(f"push {self.subscription}: cannot receive ({type(err).__name__})")
                continue
            for delivery in deliveries:
                self.deliver(delivery)

    def deliver(self, delivery: Delivery) -> None:
        status = post(self.url, delivery.body, delivery.headers)
        if succeeded(status):
            self.failures.pop(delivery.message_id, None)
            self.queue.acknowledge(delivery)
            return
        failures = self.failures.get(delivery.message_id, 0) + 1
        if failures >= self.policy.max_retries:
            self.failures.pop(delivery.message_id, None)
            self.queue.dead_letter(delivery)
            self.report(f"push {self.subscription}: {self.url} answered {status} {failures} times; "
                        "the message went to the dead letters")
        else:
            self.failures[delivery.message_id] = failures
            self.queue.retry_after(delivery, backoff_seconds(self.policy, failures))
            self.report(f"push {self.subscription}: {self.url} answered {status}; retrying "
                        f"in {backoff_seconds(self.policy, failures):g} s")
