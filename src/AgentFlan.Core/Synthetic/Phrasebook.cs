namespace AgentFlan.Synthetic;

/// <summary>
/// The assistant's and user's connective language: greetings, thoughts, follow-ups, failure and refusal
/// wording. Lists marked held-out are used only by <see cref="SyntheticSplit.HeldOut"/>.
/// </summary>
internal static class Phrasebook
{
    public static readonly string[] Greetings =
        ["Hi! ", "Hello. ", "Hey, ", "Quick question: ", "Good morning! ", "Hi there, ", "Sorry to bother you, but ", "Okay, "];

    public static readonly string[] SignOffs = [" Thanks!", " Thank you.", " Thanks in advance.", " Cheers.", " Much appreciated."];

    public static readonly string[] FirstThoughts =
    [
        "The user wants to {purpose}. The {tool} tool does exactly that, so I'll call it with {args}.",
        "I need to {purpose}. I'll use {tool} with {args}.",
        "To answer this I have to {purpose}; {tool} is the right tool. Arguments from the request: {args}.",
        "This is a request to {purpose}. I can't know that without live data, so I'll call {tool} ({args}).",
        "Let me {purpose} using {tool}, passing {args}.",
        "I don't have this information myself, so I'll {purpose} with the {tool} function: {args}.",
        "The request maps to {tool}. Everything it needs is in the message: {args}.",
        "First step: {purpose}. Calling {tool} with {args}.",
    ];

    public static readonly string[] NextThoughts =
    [
        "That part is done. Next I need to {purpose}, so I'll call {tool} with {args}.",
        "Got it. Now I'll {purpose} with {tool} ({args}).",
        "One more thing the user asked for: {purpose}. I'll use {tool} with {args}.",
        "With that result in hand, the next step is to {purpose} using {tool}: {args}.",
        "Now for the second part of the request: {purpose}. Calling {tool} with {args}.",
    ];

    public static readonly string[] FollowUpThoughts =
    [
        "The user now wants to {purpose}. I'll call {tool} again with {args}.",
        "A follow-up: {purpose}. Same approach, {tool} with {args}.",
        "This time the request is to {purpose}, so I'll use {tool} with {args}.",
        "New question: I need to {purpose}. Calling {tool} ({args}).",
    ];

    public static readonly string[] RetryThoughts =
    [
        "The call failed with '{error}'. It may be temporary, so I'll try {tool} once more with the same arguments.",
        "{tool} returned an error ({error}). Let me retry once before giving up.",
        "That didn't work: {error}. One more attempt with {tool}.",
    ];

    /// <summary>Glue between two requests in one message; the second request keeps its own punctuation.</summary>
    public static readonly string[] Connectors = [" Also, ", " And ", " After that, ", "\n\nSecond thing: ", " Then ", " Oh, and "];

    /// <summary>A follow-up that swaps one value: "{value}" is the new value.</summary>
    public static readonly string[] SwapFollowUps =
    [
        "What about {value}?",
        "And {value}?",
        "Great. Now the same for {value}, please.",
        "How about {value}?",
        "Could you check {value} as well?",
        "Thanks! Can you do {value} too?",
        "Okay, and if it were {value} instead?",
    ];

    public static readonly string[] HeldOutSwapFollowUps = ["Repeat that with {value}.", "Let's try {value} next."];

    /// <summary>A follow-up that asks for something else: "{query}" is the new request.</summary>
    public static readonly string[] NewFollowUps = ["Thanks! {query}", "Perfect. {query}", "Got it. {query}", "Great, one more thing. {query}", "{query}"];

    public static readonly string[] Errors =
    [
        "Service temporarily unavailable (HTTP 503)", "Rate limit exceeded, retry after 60 seconds", "Upstream timeout after 30 s",
        "Internal server error", "Authentication token expired", "Connection reset by peer",
    ];

    public static readonly string[] ErrorAnswers =
    [
        "I tried to {purpose}, but the service returned an error: {error}. Please try again in a little while.",
        "Sorry, I couldn't {purpose} right now. The tool reported: {error}.",
        "Unfortunately the request failed ({error}), so I wasn't able to {purpose}. It's usually temporary; we can retry shortly.",
    ];

    public static readonly string[] GiveUpAnswers =
    [
        "I'm sorry, I wasn't able to {purpose}. The service failed twice with: {error}. I'd suggest trying again later.",
        "I gave it two tries, but I couldn't {purpose} — the tool keeps answering '{error}'. Let's try again later.",
    ];

    public static readonly string[] EmptyAnswers =
    [
        "I tried to {purpose}, but the tool returned no results for that request. Could you double-check the details?",
        "The lookup came back empty: nothing was found when I tried to {purpose}. Maybe try different details?",
        "I couldn't find anything. The search to {purpose} returned no results.",
    ];

    /// <summary>Plain answers when a query needs a tool and none is offered: no invented call.</summary>
    public static readonly string[] NoToolAnswers =
    [
        "I can't {purpose} from here: I don't have access to live data or external tools in this conversation. A dedicated app or website will have the current information.",
        "I'm not able to {purpose} because I have no tools connected right now. If you look it up in a reliable service, I'm happy to help you interpret the result.",
        "Sorry, I don't have a way to {purpose}. I can only answer from general knowledge here, and that needs up-to-date data.",
        "That would require me to {purpose}, which I can't do without access to an external service. You could check a trusted source directly.",
        "I don't have real-time access, so I can't {purpose}. If you share the details you find, I can help you make sense of them.",
    ];

    public static readonly string[] HeldOutNoToolAnswers =
    [
        "Without any connected tools I have no means to {purpose}. Please consult an up-to-date source for that.",
    ];
}
