using System.Globalization;
using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class CalendarTools
{
    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "create_calendar_event",
            Domain = "calendar",
            Description = "Create an event in the user's calendar.",
            Parameters = Object(
                Req("title", String("Event title")),
                Req("date", Date("Event date, YYYY-MM-DD")),
                Req("start_time", Time("Start time, HH:MM (24h)")),
                Opt("duration_minutes", Integer("Length in minutes", 5, 720)),
                Opt("attendees", Array("Email addresses of people to invite", String("An email address"))),
                Opt("location", Object(
                    "Where the event takes place",
                    Req("name", String("Name of the place")),
                    Opt("address", String("Street address"))))),
            Purpose = "add \"{title}\" to the calendar on {date} at {start_time}",
            Phrasings =
            [
                "Put \"{title}\" in my calendar on {date} at {start_time}.",
                "Schedule \"{title}\" for {date} at {start_time}, {duration_minutes} minutes.",
                "Create an event \"{title}\" on {date} at {start_time} and invite {attendees}.",
                "Add \"{title}\" on {date}, starting {start_time}, at {location}.",
                "Book \"{title}\" for {duration_minutes} minutes on {date} at {start_time} at {location}, with {attendees}.",
                "New calendar entry: \"{title}\", {date}, {start_time}.",
                "Add a meeting \"{title}\" to my calendar for {date} at {start_time}.",
            ],
            HeldOutPhrasings = ["Block {duration_minutes} minutes on {date} from {start_time} for \"{title}\"."],
            Sample = (rng, s) =>
            {
                s.Set("title", rng.Pick(ValuePools.MeetingTitles));
                ValuePools.Date(rng, s, "date");
                ValuePools.Time(rng, s, "start_time");
                s.Set("duration_minutes", rng.Pick(new[] { 15, 30, 45, 60, 90 }));
                var people = Enumerable.Range(0, rng.Range(1, 3)).Select(_ => ValuePools.Email(ValuePools.Person(rng))).Distinct().ToList();
                s.Set("attendees", ValuePools.Strings(people), Render.Join(people));
                var (name, address) = rng.Pick(ValuePools.Venues);
                s.Set("location", new JsonObject { ["name"] = name, ["address"] = address }, $"{name}, {address}");
            },
            Run = (rng, a) => new JsonObject
            {
                ["event_id"] = $"evt_{rng.Range(10000, 99999)}",
                ["status"] = "confirmed",
                ["invitations_sent"] = a["attendees"]?.AsArray().Count ?? 0,
            },
            Answers =
            [
                "Done. \"{title}\" is in your calendar on {date} at {start_time} (event {r.event_id}, {r.status}, {r.invitations_sent} invitation(s) sent).",
                "I've created the event {r.event_id}: \"{title}\" on {date} at {start_time}. Status: {r.status}; invitations sent: {r.invitations_sent}.",
                "Your event \"{title}\" ({r.event_id}) is {r.status} for {date} at {start_time}; {r.invitations_sent} invitation(s) went out.",
            ],
        },
        new()
        {
            Name = "list_calendar_events",
            Domain = "calendar",
            Description = "List the events in the user's calendar on a date.",
            Parameters = Object(Req("date", Date("The date, YYYY-MM-DD"))),
            Purpose = "list the events on {date}",
            Phrasings =
            [
                "What's on my calendar for {date}?",
                "Do I have anything scheduled on {date}?",
                "Show my agenda for {date}.",
                "Am I free on {date}? Check my calendar.",
                "List my meetings on {date}.",
                "What meetings do I have on {date}?",
                "Check my schedule for {date}.",
            ],
            HeldOutPhrasings = ["Run me through {date} — what have I got?"],
            Sample = (rng, s) => ValuePools.Date(rng, s, "date"),
            Run = (rng, a) =>
            {
                var events = new JsonArray();
                foreach (var title in rng.PickDistinct(ValuePools.MeetingTitles, rng.Range(1, 3)))
                {
                    events.Add(new JsonObject { ["title"] = title, ["time"] = $"{rng.Range(8, 18):00}:{15 * rng.Next(4):00}" });
                }

                return new JsonObject { ["events"] = events };
            },
            Answers =
            [
                "On {date} you have:{r.events}",
                "Your agenda for {date} (event, time):{r.events}",
                "Here's your schedule for {date}:{r.events}",
            ],
            FollowUpSlot = "date",
        },
        new()
        {
            Name = "set_reminder",
            Domain = "calendar",
            Description = "Set a reminder that notifies the user at a date and time.",
            Parameters = Object(
                Req("message", String("What to be reminded of")),
                Req("date", Date("Date, YYYY-MM-DD")),
                Req("time", Time("Time, HH:MM (24h)")),
                Opt("channel", Enum("How to notify", "push", "email", "sms"))),
            Purpose = "set a reminder to {message} on {date} at {time}",
            Phrasings =
            [
                "Remind me to {message} on {date} at {time}.",
                "Set a reminder for {date} at {time}: {message}.",
                "Can you ping me on {date} at {time} to {message}? Send it by {channel}.",
                "I keep forgetting to {message}. Reminder on {date}, {time}, via {channel} please.",
                "Reminder: {message}, {date} {time}.",
                "Don't let me forget to {message} — remind me on {date} at {time}.",
                "Create a reminder to {message} at {time} on {date}.",
            ],
            HeldOutPhrasings = ["Nudge me at {time} on {date} so I {message}."],
            Sample = (rng, s) =>
            {
                s.Set("message", rng.Pick(new[] { "call the bank", "water the plants", "renew my passport", "pay the rent", "book the dentist", "send the slides" }));
                ValuePools.Date(rng, s, "date");
                ValuePools.Time(rng, s, "time");
                s.Set("channel", rng.Pick(new[] { "push", "email", "sms" }));
            },
            Run = (rng, a) => new JsonObject
            {
                ["reminder_id"] = $"rem_{rng.Range(1000, 9999)}",
                ["scheduled_for"] = $"{a["date"]!.GetValue<string>()} {a["time"]!.GetValue<string>()}",
            },
            Answers =
            [
                "Reminder {r.reminder_id} is set for {r.scheduled_for}: {message}.",
                "All set. I'll remind you to {message} at {r.scheduled_for} (id {r.reminder_id}).",
                "Reminder saved ({r.reminder_id}): {message}, {r.scheduled_for}.",
            ],
        },
        new()
        {
            Name = "find_free_slot",
            Domain = "calendar",
            Description = "Find the first time slot on a date when all attendees are free.",
            Parameters = Object(
                Req("date", Date("The date, YYYY-MM-DD")),
                Req("duration_minutes", Integer("Length of the slot in minutes", 15, 480)),
                Req("attendees", Array("Email addresses of the people who must attend", String("An email address"), 1))),
            HeldOut = true,
            Purpose = "find a free {duration_minutes}-minute slot on {date} for {attendees}",
            Phrasings =
            [
                "When are {attendees} and I all free for {duration_minutes} minutes on {date}?",
                "Find a {duration_minutes}-minute gap on {date} that works for {attendees}.",
                "I need {duration_minutes} minutes with {attendees} on {date}. What's the first free slot?",
            ],
            Sample = (rng, s) =>
            {
                ValuePools.Date(rng, s, "date");
                s.Set("duration_minutes", rng.Pick(new[] { 30, 45, 60 }));
                var people = Enumerable.Range(0, rng.Range(1, 2)).Select(_ => ValuePools.Email(ValuePools.Person(rng))).Distinct().ToList();
                s.Set("attendees", ValuePools.Strings(people), Render.Join(people));
            },
            Run = (rng, a) =>
            {
                var hour = rng.Range(9, 16);
                var start = new TimeOnly(hour, 0);
                var end = start.AddMinutes(a["duration_minutes"]!.GetValue<int>());
                return new JsonObject { ["start"] = start.ToString("HH:mm", CultureInfo.InvariantCulture), ["end"] = end.ToString("HH:mm", CultureInfo.InvariantCulture) };
            },
            Answers = ["Everyone is free on {date} from {r.start} to {r.end}."],
        },
    ];
}
