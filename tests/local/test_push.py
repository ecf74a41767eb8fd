"""Push delivery: a POST per message, retried with backoff between retryPolicy's bounds, then dead letters."""

import threading
from datetime import timedelta

import pytest

from deployer.local.push import Pusher, backoff_seconds
from deployer.local.stack import Delivery, PushQueue
from deployer.primitives.topics import RetryPolicy


class OneMessage(PushQueue):
    """Offers one message until it is acknowledged or dead-lettered; records what happened to it."""

    def __init__(self):
        self.events: list[str] = []
        self.done = threading.Event()

    def receive(self):
        return [] if self.done.is_set() else [Delivery("m1", b'{"user": "ada"}', {"X-Test": "1"}, None)]

    def acknowledge(self, delivery):
        self.events.append("ack")
        self.done.set()

    def retry_after(self, delivery, seconds):
        self.events.append(f"retry after {seconds:g}")

    def dead_letter(self, delivery):
        self.events.append("dead letter")
        self.done.set()


def push(url: str, policy: RetryPolicy) -> list[str]:
    queue, stop = OneMessage(), threading.Event()
    pusher = Pusher("signups.welcome", queue, url, policy, stop, lambda message: None)
    pusher.start()
    assert queue.done.wait(10)
    stop.set()
    pusher.join(5)
    return queue.events


def test_a_delivered_message_is_acknowledged(service):
    assert push(service.url + "/pubsub/welcome", RetryPolicy()) == ["ack"]
    (path, headers, body), = service.received
    assert (path, headers["x-test"], body) == ("/pubsub/welcome", "1", b'{"user": "ada"}')


@pytest.mark.slow
def test_a_failing_endpoint_gets_max_retries_tries_with_backoff_then_the_dead_letters(service):
    service.status = 500
    policy = RetryPolicy(min_backoff=timedelta(seconds=1), max_backoff=timedelta(seconds=3), max_retries=4)
    assert push(service.url + "/pubsub/welcome", policy) == \
        ["retry after 1", "retry after 2", "retry after 3", "dead letter"]
    assert len(service.received) == 4


def test_backoff_doubles_from_the_minimum_up_to_the_maximum():
    policy = RetryPolicy(min_backoff=timedelta(seconds=10), max_backoff=timedelta(minutes=1))
    assert [backoff_seconds(policy, n) for n in range(1, 6)] == [10, 20, 40, 60, 60]
