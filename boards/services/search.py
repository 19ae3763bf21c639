"""Searching the boards one may read."""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection

from ..models import Board, Post


def search(user, query):
    """Published posts matching `query` in the boards the person may read.
    Full-text on PostgreSQL (GIN index, see the migrations); words on SQLite."""
    posts = Post.objects.filter(
        state=Post.State.PUBLISHED,
        thread__published=True,
        thread__board__in=Board.objects.readable_by(user),
    )
    query = query.strip()
    if not query:
        return posts.none()
    if connection.vendor == "postgresql":
        vector = SearchVector("search_text", config="simple")
        posts = posts.annotate(match=vector).filter(
            match=SearchQuery(query, config="simple", search_type="websearch")
        )
    else:
        for word in query.split():
            posts = posts.filter(search_text__icontains=word)
    return posts.select_related("thread__board__group", "author__member").order_by(
        "-published_at", "-pk"
    )
