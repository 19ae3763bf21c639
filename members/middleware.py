from . import roles


def session_roles(get_response):
    """The signed-in person's roles are also those of this session: whether it
    proved the second factor (see `roles`)."""

    def middleware(request):
        if request.user.is_authenticated:
            roles.bind_to_request(request.user, request)
        return get_response(request)

    return middleware
