"""Two moderators deciding on the same post at the same moment: one decision
counts, the other is refused; the thread's count and published state stay
what its posts say, and the moderation log tells one story.

Only PostgreSQL runs transactions side by side with row locks; SQLite
serialises every write, so the test would prove nothing there.
"""

import threading
import time

import pytest
from django.db import connection

from boards import services
from boards.models import ModerationAction, Post, Report
from boards.services import moderation

from ..factories import CoordinatorFactory, GroupFactory, facilitator_of, member_of

State = Post.State
Log = ModerationAction.Action

DECIDE = {
    "approve": lambda moderator, post: services.approve_post(moderator, post),
    "reject": lambda moderator, post: services.reject_post(moderator, post, "Liever niet hier."),
    "hide": lambda moderator, post: services.hide_post(moderator, post, "Even weg."),
}
# What the decision that wins leaves: the post's state and the line in the log.
OUTCOME = {
    "approve": (State.PUBLISHED, Log.APPROVED),
    "reject": (State.REJECTED, Log.REJECTED),
    "hide": (State.HIDDEN, Log.HIDDEN),
}


def waiting_reply(group, author):
    thread, _opening = services.start_thread(author, group.board, title="Slapen", body="Hoe?")
    group.board.approve_every_post = True
    group.board.save()
    return services.reply(member_of(group).user, thread, body="Ik lig vaak wakker.")


def published_reply(group, author):
    thread, _opening = services.start_thread(author, group.board, title="Slapen", body="Hoe?")
    return services.reply(member_of(group).user, thread, body="Ik lig vaak wakker.")


def reported_reply(group, author):
    post = published_reply(group, author)
    services.report_post(author, post, reason=Report.Reason.HURTFUL)
    return post


def waiting_opening_post(group, author):
    group.board.approve_every_post = True
    group.board.save()
    return services.start_thread(author, group.board, title="Slapen", body="Hoe?")[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("make_post", "decisions"),
    [
        (waiting_reply, ("approve", "approve")),
        (waiting_reply, ("approve", "reject")),
        (waiting_reply, ("approve", "hide")),
        (waiting_reply, ("reject", "hide")),
        (published_reply, ("hide", "hide")),
        (reported_reply, ("approve", "hide")),
        (waiting_opening_post, ("approve", "reject")),
    ],
)
def test_two_moderators_deciding_at_once_make_one_decision(
    monkeypatch, settings, make_post, decisions
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and truly concurrent transactions")
    settings.BOARDS_FIRST_POSTS_HELD = 0
    group = GroupFactory()
    post = make_post(group, member_of(group).user)
    thread = post.thread
    moderators = [facilitator_of(group).user, CoordinatorFactory()]
    # Each moderator acts on the post as their own request loaded it.
    seen = [Post.objects.select_related("thread__board").get(pk=post.pk) for _ in moderators]

    # Widen the window between checking the post and changing it, so that
    # without the locks both moderators would act on the post as it was.
    moderates = moderation.moderates

    def slow_moderates(user, board):
        answer = moderates(user, board)
        time.sleep(0.2)
        return answer

    monkeypatch.setattr(moderation, "moderates", slow_moderates)
    start = threading.Barrier(len(moderators))
    done, refused, errors = [], [], []

    def decide(decision, moderator, post):
        try:
            start.wait()
            DECIDE[decision](moderator, post)
            done.append((decision, moderator))
        except services.BoardError:
            refused.append(decision)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    racers = [
        threading.Thread(target=decide, args=args)
        for args in zip(decisions, moderators, seen, strict=True)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)

    assert not errors
    assert len(done) == 1, done
    assert len(refused) == 1
    [(winner, moderator)] = done
    state, logged = OUTCOME[winner]
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.state == state
    assert post.review_since is None
    opening = thread.posts.order_by("created_at", "pk").first()
    expected = (0 if post == opening else 1) + (1 if post.is_published else 0)
    assert thread.post_count == expected
    assert Post.objects.filter(thread=thread, state=State.PUBLISHED).count() == expected
    # The thread is seen once its opening post is published.
    assert thread.published == (post != opening or post.is_published)
    by_moderators = ModerationAction.objects.filter(post=post, actor__isnull=False)
    assert [(line.action, line.actor) for line in by_moderators] == [(logged, moderator)]
