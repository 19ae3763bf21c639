"""Demo conversations for `make run`: boards that look lived in, a post
waiting for approval and a report in the review queue."""

from datetime import timedelta

from django.utils import timezone

from boards import services
from boards.models import Post, Thread, WatchedWord
from groups.models import Group
from members.models import User

# board, title, [(author, text, content warning)], approved by
CONVERSATIONS = [
    (
        "community",
        "Wat helpt jou op een zware avond?",
        [
            ("Zeewind", "Ik maak een lange wandeling, ook als het regent. *Bewegen* helpt.", ""),
            ("Iris", "Chez moi: une tasse de thé et de la musique douce.", ""),
            ("Kastanje", "> Bewegen helpt.\n\nHerkenbaar. Fietsen werkt voor mij.", ""),
        ],
    ),
    (
        "community",
        "Boeken die je raakten",
        [
            (
                "Linde",
                "Ik lees nu een boek over veerkracht. Aanrader, al is het soms zwaar.",
                "gaat over herinneringen",
            ),  # fmt: skip
            ("Papaver", "Dank voor de tip, ik zet het op mijn lijstje.", ""),
        ],
    ),
    (
        "Dinsdagavond",
        "Welkom in onze groep",
        [
            (
                "Lotus",
                "Fijn dat jullie er zijn. Hier kunnen we tussen de bijeenkomsten praten.",
                "",
            ),
            ("Zeewind", "Dank je! Tot dinsdag.", ""),
        ],
    ),
    (
        "staff",
        "Afspraken voor de zomer",
        [("Lotus", "Zullen we in juli en augustus om de vier weken samenkomen?", "")],
    ),
]


def _author(pseudonym):
    return User.objects.get(member__pseudonym=pseudonym)


def load():
    community, staff = services.community_board(), services.staff_room()
    boards = {"community": community, "staff": staff}
    for group in Group.objects.all():
        boards[group.name] = services.board_of(group)
    moderator = User.objects.filter(coordinator_region="antwerpen").first()
    lotus = _author("Lotus")
    minutes = 60 * 24 * 3
    for board_name, title, posts in CONVERSATIONS:
        board = boards[board_name]
        thread = None
        for pseudonym, text, warning in posts:
            author = _author(pseudonym)
            if thread is None:
                thread, post = services.start_thread(
                    author, board, title=title, body=text, content_warning=warning
                )
            else:
                post = services.reply(author, thread, body=text, content_warning=warning)
            if not post.is_published:
                approver = lotus if board.kind == board.Kind.GROUP else moderator
                services.approve_post(approver, post)
            # Spread the demo over the last days, as if people had been talking.
            minutes -= 7 * 60
            at = timezone.now() - timedelta(minutes=minutes)
            Post.objects.filter(pk=post.pk).update(created_at=at, published_at=at)
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=at)
    # A new member's first post waits for Lotus; another post has been reported.
    welcome = Thread.objects.get(title="Welkom in onze groep")
    services.reply(_author("Kastanje"), welcome, body="Hallo allemaal, ik ben nieuw hier.")
    services.report_post(
        _author("Kastanje"),
        Post.objects.get(body__startswith="Dank je! Tot dinsdag."),
        reason="no_warning",
        note="Demo: een melding om te bekijken.",
    )
    for word, action in [("adres", "hold"), ("spam-link", "block"), ("ik kan niet meer", "safety")]:
        WatchedWord.objects.create(word=word, action=action, created_by=moderator)
