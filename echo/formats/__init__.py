"""How dates read, per language (FORMAT_MODULE_PATH): every date shown to a
person carries its weekday ("maandag 30 november 2026, 19:00"), so a
meeting's day is never worked out from a number. Templates name the formats
("DATE_FORMAT", "DATETIME_FORMAT", ...), never a pattern of their own; what
is not set here comes from Django's own formats for the language. Times are
shown in the person's time zone (`echo.middleware`)."""
