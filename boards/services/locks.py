"""The row locks that keep a thread's figures and a post's state right when
several people act at once.

Locks are always taken in one order: the thread, then the post. A reply
locks its thread before it adds a post, and publishing or removing a post
rewrites its thread's figures; if one transaction held a post and waited
for its thread while another held the thread and waited for the post,
PostgreSQL would have to abort one of them (a deadlock). Thread first also
means that everything which changes a thread's figures takes turns, so the
rows they are counted from cannot change under the count.
"""

from ..models import Post, Thread


def take_thread_lock(thread):
    """Lock the thread's row until the transaction ends, and read it again:
    what others changed since the caller loaded it counts from here on."""
    thread.refresh_from_db(
        from_queryset=Thread.objects.select_for_update(of=("self",)).select_related("board__group")
    )
    return thread


def take_post_locks(post):
    """Lock the post's thread, then the post (see above), and read both again."""
    thread = take_thread_lock(post.thread)
    post.refresh_from_db(from_queryset=Post.objects.select_for_update(of=("self",)))
    post.thread = thread
    return post
