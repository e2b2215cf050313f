using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class PersonalTools
{
    private static readonly string[] Activities = ["running", "cycling", "swimming", "walking", "yoga", "rowing"];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "send_email",
            Domain = "communication",
            Description = "Send an email.",
            Parameters = Object(
                Req("to", Array("Recipient email addresses", String("An email address"), 1)),
                Req("subject", String("Subject line")),
                Req("body", String("Message body")),
                Opt("urgent", Boolean("Mark the email as high priority"))),
            Purpose = "email {to} about \"{subject}\"",
            Phrasings =
            [
                "Send an email to {to} with the subject \"{subject}\" saying: {body}",
                "Email {to}: subject \"{subject}\", message \"{body}\".",
                "Can you write to {to}? Subject: {subject}. Body: {body}",
                "Please send {to} a message titled \"{subject}\": {body} Mark it {urgent}.",
                "Shoot an email over to {to} — \"{subject}\" — and say \"{body}\"",
                "Email {to} with subject \"{subject}\": {body}",
                "Send {to} an email titled \"{subject}\" that says: {body} Flag it {urgent}.",
            ],
            HeldOutPhrasings = ["Drop {to} a line, subject \"{subject}\": {body}"],
            Sample = (rng, s) =>
            {
                var to = Enumerable.Range(0, rng.Range(1, 2)).Select(_ => ValuePools.Email(ValuePools.Person(rng))).Distinct().ToList();
                s.Set("to", ValuePools.Strings(to), Render.Join(to));
                var (subject, body) = rng.Pick(Emails);
                s.Set("subject", subject);
                s.Set("body", body);
                var urgent = rng.Chance(0.5);
                s.Set("urgent", JsonValue.Create(urgent), urgent ? "as urgent" : "as normal priority");
            },
            Run = (rng, a) => new JsonObject { ["message_id"] = $"msg-{rng.Range(100000, 999999)}", ["status"] = "sent" },
            Answers =
            [
                "Your email \"{subject}\" to {to} was {r.status} (id {r.message_id}).",
                "Done: message {r.message_id} {r.status} to {to}.",
                "Sent! \"{subject}\" went to {to} ({r.status}, id {r.message_id}).",
            ],
        },
        new()
        {
            Name = "send_sms",
            Domain = "communication",
            Description = "Send a text message to a phone number.",
            Parameters = Object(Req("phone_number", String("Phone number in international format")), Req("message", String("The text"))),
            Purpose = "text {phone_number}",
            Phrasings =
            [
                "Text {phone_number}: \"{message}\"",
                "Send an SMS to {phone_number} saying \"{message}\".",
                "Can you message {phone_number} with \"{message}\"?",
                "Let {phone_number} know by text: \"{message}\"",
                "SMS {phone_number}: \"{message}\"",
                "Please text \"{message}\" to {phone_number}.",
            ],
            HeldOutPhrasings = ["Fire off a text to {phone_number}: \"{message}\""],
            Sample = (rng, s) =>
            {
                s.Set("phone_number", $"+{rng.Pick(new[] { 1, 33, 44, 49, 34, 81 })} {rng.Range(200, 999)} {rng.Range(100, 999)} {rng.Range(1000, 9999)}");
                s.Set("message", rng.Pick(new[] { "Running 10 minutes late", "Dinner is at 8", "Call me when you land", "Meeting moved to 3pm", "Happy birthday!" }));
            },
            Run = (rng, a) => new JsonObject { ["status"] = "delivered", ["segments"] = 1 },
            Answers =
            [
                "Your text to {phone_number} was {r.status} ({r.segments} segment).",
                "Message {r.status}: {r.segments} segment sent to {phone_number}.",
                "Your message to {phone_number} was {r.status} in {r.segments} segment.",
            ],
        },
        new()
        {
            Name = "calculate_bmi",
            NeedsTool = false,
            Domain = "health",
            Description = "Calculate body mass index from weight and height.",
            Parameters = Object(Req("weight_kg", Number("Weight in kilograms", 1)), Req("height_cm", Number("Height in centimetres", 30))),
            Purpose = "calculate the BMI for {weight_kg} kg and {height_cm} cm",
            Phrasings =
            [
                "What's my BMI? I weigh {weight_kg} kg and I'm {height_cm} cm tall.",
                "Calculate BMI for {weight_kg} kg, {height_cm} cm.",
                "I'm {height_cm} cm and {weight_kg} kilos. Is my BMI in the healthy range?",
                "BMI: weight {weight_kg} kg, height {height_cm} cm?",
                "Work out my BMI: {weight_kg} kg, {height_cm} cm.",
                "What BMI do I have at {height_cm} cm and {weight_kg} kg?",
                "Is {weight_kg} kg healthy for someone {height_cm} cm tall? Calculate my BMI.",
            ],
            HeldOutPhrasings =
            [
                "Body mass index check — {weight_kg} kg at {height_cm} cm.",
                "Height {height_cm} cm, weight {weight_kg} kg — BMI?",
            ],
            Sample = (rng, s) =>
            {
                s.Set("weight_kg", (double)rng.Range(48, 110));
                s.Set("height_cm", (double)rng.Range(150, 198));
            },
            Run = (rng, a) =>
            {
                var m = a["height_cm"]!.GetValue<double>() / 100;
                var bmi = Math.Round(a["weight_kg"]!.GetValue<double>() / (m * m), 1);
                return new JsonObject { ["bmi"] = bmi, ["category"] = bmi < 18.5 ? "underweight" : bmi < 25 ? "healthy weight" : bmi < 30 ? "overweight" : "obese" };
            },
            Answers =
            [
                "Your BMI is {r.bmi}, which falls in the {r.category} range.",
                "BMI {r.bmi}: {r.category}.",
                "At {weight_kg} kg and {height_cm} cm your BMI is {r.bmi} ({r.category}).",
            ],
        },
        new()
        {
            Name = "log_workout",
            Domain = "health",
            Description = "Log a workout in the fitness journal.",
            Parameters = Object(
                Req("activity", Enum("The activity", Activities)),
                Req("duration_minutes", Integer("Duration in minutes", 1, 600)),
                Opt("distance_km", Number("Distance covered in km", 0))),
            Purpose = "log a {duration_minutes}-minute {activity} workout",
            Phrasings =
            [
                "Log my workout: {activity} for {duration_minutes} minutes.",
                "I just did {duration_minutes} minutes of {activity}, {distance_km} km. Record it.",
                "Add {activity}, {duration_minutes} min to my fitness log.",
                "Track a {activity} session: {duration_minutes} minutes, {distance_km} km.",
                "Record {duration_minutes} minutes of {activity} in my log.",
                "Log {activity}: {duration_minutes} minutes, {distance_km} km.",
                "I did {activity} today for {duration_minutes} min, please log it.",
            ],
            HeldOutPhrasings =
            [
                "Put today's {activity} in the journal — {duration_minutes} minutes.",
                "Note down {duration_minutes} min of {activity} for today.",
            ],
            Sample = (rng, s) =>
            {
                s.Set("activity", rng.Pick(Activities));
                s.Set("duration_minutes", rng.Range(15, 120));
                s.Set("distance_km", rng.Range(1.0, 40.0, 1));
            },
            Run = (rng, a) => new JsonObject
            {
                ["entry_id"] = $"w{rng.Range(1000, 9999)}",
                ["calories_burned"] = a["duration_minutes"]!.GetValue<int>() * rng.Range(4, 11),
            },
            Answers =
            [
                "Logged as entry {r.entry_id}: about {r.calories_burned} kcal burned.",
                "Saved ({r.entry_id}). Estimated burn: {r.calories_burned} kcal.",
                "Workout {r.entry_id} logged: roughly {r.calories_burned} kcal.",
            ],
        },
    ];

    private static readonly (string Subject, string Body)[] Emails =
    [
        ("Meeting notes", "Attached are the notes from today's meeting."),
        ("Running late", "I'll be about 15 minutes late this morning."),
        ("Invoice 2041", "Please find invoice 2041 for March attached."),
        ("Weekend plans", "Are we still on for hiking on Saturday?"),
        ("Project update", "The prototype is ready for review on Friday."),
    ];
}
