# "Monday 30 November 2026, 19:00" (day before month, as in Belgium)
DATE_FORMAT = "l j F Y"
DATETIME_FORMAT = "l j F Y, H:i"
TIME_FORMAT = "H:i"
# In tables: "Mon 30/11/2026 19:00"
SHORT_DATE_FORMAT = "D j/m/Y"
SHORT_DATETIME_FORMAT = "D j/m/Y H:i"
