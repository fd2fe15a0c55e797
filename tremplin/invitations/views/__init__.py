"""The invitations' pages, one module per workflow:

- ``inviting``: invite from the person's file, or in bulk from a list (a selection, then a
  confirmation);
- ``tracking``: the invitations and their messages, the letters to print;
- ``no_shows``: the no-shows per referent and per operator, and what was done after them;
- ``public``: the person's personal link (no account) and the SMS provider's delivery
  reports — the only public pages of this app.
"""
