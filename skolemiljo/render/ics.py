"""iCalendar export of the school year: årshjul routines and case deadlines.

Staff subscribe to the file in Outlook or Google Calendar. Case deadlines are named
by case id only – never a pupil's name or text from a case. UIDs are stable, so a
new export updates the events instead of duplicating them.

Every property is written by the icalendar library, text as ``vText`` (escaped: a line break
in a name becomes ``\\n``, never a new content line). Control characters, which iCalendar
text cannot hold, are shown as U+FFFD; ``skole.yaml`` and ``calendar.yaml`` refuse them anyway.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, time, timedelta, timezone

from skolemiljo.domain.arshjul import Occurrence
from skolemiljo.domain.schoolyear import WEEKDAYS, Calendar

_BYDAY = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR")))
_LINE_BREAK = re.compile("\r\n?|[\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(value: str):
    """``value`` as iCalendar TEXT: line breaks as ``\\n`` (by icalendar), control characters as U+FFFD."""
    from icalendar import vText

    return vText(_CONTROL.sub("\ufffd", _LINE_BREAK.sub("\n", value)))


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@skm"


def to_ics(calendar: Calendar, items: list[Occurrence], school: str, stamp: datetime) -> bytes:
    """The school year as an iCalendar document (all-day events)."""
    from icalendar import Calendar as ICalendar
    from icalendar import Event

    doc = ICalendar()
    doc.add("prodid", "-//skm//kap. 12-saker//NO")
    doc.add("version", "2.0")
    doc.add("calscale", "GREGORIAN")
    doc.add("x-wr-calname", _text(f"Årshjul og frister – {school}"))
    stamp = stamp.astimezone(timezone.utc)
    weekly_done: set[str] = set()
    for item in items:
        if item.weekly:
            # One recurring event per weekly routine, without the school holidays.
            if item.title in weekly_done:
                continue
            weekly_done.add(item.title)
            days = [o.first for o in items if o.weekly and o.title == item.title]
            event = _event(Event, item, days[0], days[0], stamp, _uid("ukentlig", item.title, calendar.start.isoformat()))
            until = datetime.combine(calendar.end, time(23, 59, 59), tzinfo=timezone.utc)
            event.add("rrule", {"freq": "weekly", "byday": _BYDAY[item.weekly], "until": until})
            every = {days[0] + timedelta(weeks=n) for n in range((calendar.end - days[0]).days // 7 + 1)}
            skipped = sorted(every - set(days))
            if skipped:
                event.add("exdate", skipped)
        else:
            event = _event(Event, item, item.first, item.last, stamp,
                           _uid(item.kind, item.title, item.first.isoformat()))
        doc.add_component(event)
    return doc.to_ical()


def _event(event_class, item: Occurrence, first, last, stamp: datetime, uid: str):
    event = event_class()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", _text(item.title))
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))
    description = "\n".join(part for part in (
        f"Hvordan: {item.how}" if item.how else "",
        f"Ansvar: {item.who}" if item.who else "",
    ) if part)
    if description:
        event.add("description", _text(description))
    event.add("categories", ["Frist" if item.kind == "frist" else "Årshjul"])
    event.add("transp", "TRANSPARENT")
    return event
