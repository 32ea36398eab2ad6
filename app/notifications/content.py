"""What a notification says: that something arrived, and nothing of it (R-104, R-110).

No subject, sender, care unit, health data, name or personnummer, and no link: a mail or text
that only says "log in" gives a phisher nothing to copy and a reader of someone else's phone
nothing to learn. The same words serve a guardian told of a child's inbox (R-108).
"""

from __future__ import annotations

EMAIL_SUBJECT = "Nytt meddelande i inkorgen på 1177"
EMAIL_TEXT = (
    "Hej!\n\n"
    "Ett nytt meddelande har kommit till en inkorg på 1177 som du har tillgång till.\n"
    "Logga in på 1177 för att läsa det.\n\n"
    "Det här meddelandet går inte att svara på.\n"
)
# One SMS: at most 160 characters of GSM 7-bit (å, ä and ö are in it).
SMS_TEXT = (
    "Ett nytt meddelande har kommit till en inkorg på 1177 som du har tillgång till. "
    "Logga in på 1177 för att läsa det."
)
