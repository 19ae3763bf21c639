"""Run by tests/test_production.py through `deploy/manage.sh shell -c`: a
member with a known password and no second factor, in a group, with a
conversation on the community board; prints the codes of what it made."""

from allauth.account.models import EmailAddress

from boards import services as boards
from groups.models import Group, GroupMembership
from members import services
from members.models import Member, User

EMAIL, PASSWORD = "rookproef@example.org", "production smoke passphrase"

user = User.objects.create_user(EMAIL, PASSWORD)
EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
member = services.submit_application(
    user,
    pseudonym="Rookproef",
    region="antwerpen",
    contact_preference="email",
    phone="",
    message="Encrypted with the production key.",
)
Member.objects.filter(pk=member.pk).update(status=Member.Status.ACTIVE)
group = Group.objects.create(name="Rookgroep", region="antwerpen")
GroupMembership.objects.create(group=group, member=member)
user = User.objects.get(pk=user.pk)
thread, _post = boards.start_thread(
    user, boards.community_board(), title="Eerste gesprek", body="Hallo *allemaal*."
)
print(f"group={group.code} thread={thread.code} board={thread.board.code}")
