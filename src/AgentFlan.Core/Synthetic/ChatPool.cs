namespace AgentFlan.Synthetic;

/// <summary>
/// Ordinary conversation: questions that need no tool, with their answers. Every fifth entry of each
/// list is reserved for the held-out split.
/// </summary>
internal static class ChatPool
{
    public static readonly (string Question, string Answer)[] General =
    [
        ("Can you explain what photosynthesis is in simple terms?", "Photosynthesis is how plants make food. They take in sunlight, water and carbon dioxide and turn them into sugar for energy, releasing oxygen as a by-product."),
        ("What's a good way to start learning to cook?", "Start with a few simple dishes you enjoy, like pasta, an omelette or a stir-fry. Learn basic knife skills, taste as you go, and cook the same recipe a few times until it feels easy before moving on."),
        ("Write a short haiku about autumn.", "Crisp leaves drift and fall,\namber light on quiet paths,\nthe year exhales slow."),
        ("Why is the sky blue?", "Sunlight is scattered by the molecules in the air, and shorter blue wavelengths scatter much more than red ones. That scattered blue light reaches your eyes from every direction, so the sky looks blue."),
        ("How do I politely decline a meeting invitation?", "Thank the person, say briefly that you can't attend, and offer an alternative if it helps: \"Thanks for the invite. I can't make it on Thursday, but I'm happy to review the notes or meet next week.\""),
        ("What is the difference between a virus and a bacterium?", "Bacteria are living single-celled organisms that can reproduce on their own; many are harmless or even helpful. Viruses are much smaller, are not cells, and can only reproduce inside a host's cells. Antibiotics work on bacteria, not on viruses."),
        ("Give me three ideas for a rainy weekend at home.", "1. Try a new recipe and make it a proper sit-down meal.\n2. Start a jigsaw puzzle or a board game marathon.\n3. Pick a film series you've never seen and watch it in order."),
        ("Can you summarise the plot of Romeo and Juliet in two sentences?", "Two young lovers from feuding families in Verona marry in secret. A chain of misunderstandings leads both to take their own lives, which finally reconciles their families."),
        ("How can I improve my sleep?", "Keep a regular schedule, even at weekends; keep the bedroom dark, cool and quiet; avoid caffeine late in the day and screens in the last hour before bed; and get some daylight and exercise during the day."),
        ("What does a good cover letter include?", "A short opening that names the role, one or two paragraphs linking your most relevant experience to what the job needs, a line on why you want this company in particular, and a polite close with your availability."),
        ("Tell me a fun fact about octopuses.", "Octopuses have three hearts and blue blood, and most of their neurons are in their arms, which can react to touch and taste on their own."),
        ("What's the difference between weather and climate?", "Weather is what the atmosphere does over hours or days; climate is the average pattern of weather in a place over decades."),
        ("How do I write a good commit message?", "Use a short summary line in the imperative mood (\"Fix crash when file is empty\"), leave a blank line, then explain what changed and why, not how. Keep each commit focused on one change."),
        ("Is it better to rent or buy a home?", "It depends on how long you'll stay, local prices compared with rents, and your savings. Buying tends to pay off if you stay many years; renting keeps you flexible and avoids maintenance and transaction costs."),
        ("Can you recommend a way to remember names better?", "Repeat the name when you're introduced (\"Nice to meet you, Priya\"), link it to something vivid about the person, and use it once more before the conversation ends."),
        ("What is compound interest?", "Compound interest is interest earned on both your original money and on the interest already added. Over time it makes savings grow faster and faster, which is why starting early matters."),
        ("Explain recursion to a beginner.", "Recursion is when a function solves a problem by calling itself on a smaller piece of the same problem, until it reaches a case simple enough to answer directly, like counting down from 5 by counting down from 4."),
        ("How should I prepare for a job interview?", "Research the company and the role, prepare short stories that show your skills, practise answering common questions out loud, and have two or three thoughtful questions ready to ask them."),
        ("Why do we have leap years?", "A year is about 365.24 days long. Adding a day every fourth year (with a few century exceptions) keeps the calendar in step with the seasons."),
        ("What are some tips for public speaking?", "Know your opening lines by heart, speak slower than feels natural, pause instead of saying \"um\", look at a few friendly faces, and practise aloud at least twice."),
        ("Can you help me name my new cat? She's grey and very calm.", "Some ideas for a calm grey cat: Misty, Pebble, Ash, Luna, Smokey or Willow."),
        ("What's the best way to learn a new language?", "Practise a little every day, focus on the most common words first, listen to real speech you enjoy, and start speaking early even if it's imperfect."),
        ("How do vaccines work?", "A vaccine shows your immune system a harmless piece or version of a germ, so it learns to recognise it. If you meet the real germ later, your body can fight it off quickly."),
        ("Suggest a name for a small bakery.", "A few ideas: Rise & Crumb, The Daily Loaf, Butter Lane, Flour Child, or Golden Crust."),
        ("What's the difference between affect and effect?", "Usually \"affect\" is the verb (the rain affected the game) and \"effect\" is the noun (the rain had an effect on the game)."),
        ("Thanks for your help earlier!", "You're welcome! Glad I could help. Let me know if anything else comes up."),
        ("Good morning! How are you today?", "Good morning! I'm doing well, thanks for asking. What can I help you with today?"),
        ("Can you proofread this sentence: 'Their going to the park tomorow.'", "Corrected: \"They're going to the park tomorrow.\" \"Their\" should be \"they're\" (they are), and \"tomorrow\" has two r's."),
        ("What is a good stretching routine after running?", "Hold each stretch for about 30 seconds: calves against a wall, standing quad stretch, hamstring stretch with a straight leg, hip flexor lunge, and a gentle glute stretch lying on your back."),
        ("Tell me a short joke.", "Why don't scientists trust atoms? Because they make up everything."),
    ];

    /// <summary>Questions in a tool's domain that general knowledge answers, so no call is right.</summary>
    public static readonly (string Question, string Answer)[] DomainConcepts =
    [
        ("What does humidity actually measure?", "Humidity measures how much water vapour is in the air. Relative humidity, the number in forecasts, is how much vapour the air holds compared with the most it could hold at that temperature."),
        ("What's the difference between a stock and a bond?", "A stock is a small share of ownership in a company; its value rises and falls with the business. A bond is a loan to a company or government that pays interest and returns the principal at maturity."),
        ("Why do exchange rates change?", "Exchange rates move with supply and demand for each currency, driven by interest rates, inflation, trade flows, economic news and investor sentiment."),
        ("Any tips for dealing with jet lag?", "Shift your sleep an hour a day toward the destination before you go, get daylight at your destination's morning, stay hydrated, and avoid long naps on arrival."),
        ("What's a good way to organise files on my computer?", "Use a few top-level folders by area (work, personal, archive), name files with dates like 2025-03-14 first so they sort, and clear out your downloads folder weekly."),
        ("How long should a typical meeting last?", "Most meetings work best at 25 or 50 minutes: long enough for a clear agenda, short enough to leave a buffer before the next one."),
        ("How do search engines decide what to show first?", "They index pages, then rank them by relevance to your words and by quality signals such as links from other sites, freshness and how well the page answers similar queries."),
        ("What is the Pythagorean theorem?", "In a right triangle, the square of the longest side equals the sum of the squares of the other two: a² + b² = c²."),
        ("Should I tip in restaurants in Japan?", "No. Tipping is not customary in Japan and can even cause confusion; good service is included in the price."),
        ("What makes a password strong?", "Length matters most: a long passphrase of several unrelated words beats a short complex one. Use a different password for every site, ideally kept in a password manager."),
        ("What's the difference between a median and a mean?", "The mean is the sum divided by the count; the median is the middle value when sorted. The median is less affected by a few extreme values."),
        ("How do I write a polite follow-up email?", "Keep it short, restate your original question in one line, suggest a next step or deadline, and thank them for their time."),
        ("What is a healthy resting heart rate?", "For most adults a resting heart rate between 60 and 100 beats per minute is normal; well-trained athletes are often lower."),
        ("How do airlines price their tickets?", "Fares change with demand, how far ahead you book, the day and time of the flight and how many seats are left in each fare class."),
        ("Why does bread go stale?", "As bread cools and sits, its starch slowly recrystallises and moisture moves out of the crumb, which makes it firm and dry."),
    ];

    public static IReadOnlyList<(string Question, string Answer)> For(IReadOnlyList<(string, string)> pool, SyntheticSplit split) =>
        pool.Where((_, i) => (i % 5 == 4) == (split == SyntheticSplit.HeldOut)).ToList();
}
