using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class FinanceTools
{
    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "get_stock_price",
            Domain = "finance",
            Description = "Get the latest trading price of a stock by its ticker symbol.",
            Parameters = Object(Req("symbol", String("Ticker symbol, for example AAPL"))),
            Purpose = "look up the stock price of {company} ({symbol})",
            Phrasings =
            [
                "What's {company} trading at right now? The ticker is {symbol}.",
                "Can you get me the current price of {symbol}?",
                "How much is one share of {symbol} today?",
                "Check the stock price for {symbol} please.",
                "{symbol} price?",
                "I'm thinking of buying {company} stock ({symbol}). What does it cost now?",
                "Look up the latest quote for ticker {symbol}.",
                "What's the share price of {symbol}?",
                "How is {symbol} doing today?",
            ],
            HeldOutPhrasings =
            [
                "Where is {symbol} sitting in the market today?",
                "Quick quote on {company}, symbol {symbol}?",
            ],
            Sample = (rng, s) =>
            {
                var (symbol, company) = rng.Pick(ValuePools.Stocks);
                s.Set("symbol", symbol);
                s.Text("company", company);
            },
            Run = (rng, a) => new JsonObject
            {
                ["symbol"] = a["symbol"]!.GetValue<string>(),
                ["price"] = rng.Range(8.0, 900.0, 2),
                ["currency"] = "USD",
                ["change_percent"] = rng.Range(-4.0, 4.0, 2),
            },
            Answers =
            [
                "{r.symbol} is trading at {r.price} {r.currency}, a change of {r.change_percent}% today.",
                "One share of {r.symbol} costs {r.price} {r.currency} right now ({r.change_percent}% on the day).",
                "{r.symbol}: {r.price} {r.currency} ({r.change_percent}% today).",
            ],
            FollowUpSlot = "symbol",
        },
        new()
        {
            Name = "convert_currency",
            Domain = "finance",
            Description = "Convert an amount of money from one currency to another at the current rate.",
            Parameters = Object(
                Req("amount", Number("The amount to convert", 0)),
                Req("from_currency", String("ISO code of the source currency")),
                Req("to_currency", String("ISO code of the target currency"))),
            Purpose = "convert {amount} {from_currency} to {to_currency}",
            Phrasings =
            [
                "How much is {amount} {from_currency} in {to_currency}?",
                "Convert {amount} {from_currency} to {to_currency} for me.",
                "I have {amount} {from_currency}. What's that worth in {to_currency}?",
                "Please change {amount} {from_currency} into {to_currency}.",
                "{amount} {from_currency} to {to_currency}?",
                "What would {amount} {from_currency} come to in {to_currency} today?",
                "I need to pay {amount} {from_currency}; how many {to_currency} is that?",
                "Exchange {amount} {from_currency} to {to_currency}.",
            ],
            HeldOutPhrasings =
            [
                "If I exchange {amount} {from_currency}, how many {to_currency} do I get back?",
                "Turn {amount} {from_currency} into {to_currency}, roughly.",
            ],
            Sample = (rng, s) =>
            {
                var pair = rng.PickDistinct(ValuePools.Currencies, 2);
                s.Set("amount", (double)(rng.Range(1, 200) * 25));
                s.Set("from_currency", pair[0]);
                s.Set("to_currency", pair[1]);
            },
            Run = (rng, a) =>
            {
                var rate = rng.Range(0.05, 3.0, 4);
                return new JsonObject
                {
                    ["rate"] = rate,
                    ["converted_amount"] = Math.Round(a["amount"]!.GetValue<double>() * rate, 2),
                    ["currency"] = a["to_currency"]!.GetValue<string>(),
                };
            },
            Answers =
            [
                "{amount} {from_currency} is {r.converted_amount} {r.currency} at a rate of {r.rate}.",
                "At today's rate of {r.rate}, {amount} {from_currency} comes to {r.converted_amount} {r.currency}.",
                "That works out to {r.converted_amount} {r.currency} (rate {r.rate} {to_currency} per {from_currency}).",
            ],
            FollowUpSlot = "to_currency",
        },
        new()
        {
            Name = "calculate_loan_payment",
            NeedsTool = false,
            Domain = "finance",
            Description = "Calculate the monthly payment of a fixed-rate loan.",
            Parameters = Object(
                Req("principal", Number("The loan amount", 0)),
                Req("annual_rate", Number("Annual interest rate in percent", 0, 30)),
                Req("years", Integer("Loan term in years", 1, 40))),
            Purpose = "work out the monthly payment on a {principal} loan at {annual_rate}% over {years} years",
            Phrasings =
            [
                "What would my monthly payment be on a {principal} loan at {annual_rate}% for {years} years?",
                "Calculate the monthly installment for borrowing {principal} over {years} years at {annual_rate} percent.",
                "I want a mortgage of {principal} for {years} years; the rate is {annual_rate}%. Monthly cost?",
                "Loan: {principal}, {annual_rate}% interest, {years} years. What's the monthly payment?",
                "If I borrow {principal} at {annual_rate}% and repay over {years} years, how much per month?",
                "How much would I pay monthly on {principal} over {years} years at {annual_rate}%?",
                "Monthly repayment for a {years}-year loan of {principal} at {annual_rate}% interest?",
            ],
            HeldOutPhrasings =
            [
                "Help me budget: {principal} borrowed, {years}-year term, {annual_rate}% APR — monthly figure?",
                "Borrowing {principal} for {years} years at {annual_rate}%: what lands on my bank statement each month?",
            ],
            Sample = (rng, s) =>
            {
                s.Set("principal", (double)(rng.Range(4, 80) * 5000));
                s.Set("annual_rate", rng.Range(2.0, 9.0, 1));
                s.Set("years", rng.Pick(new[] { 5, 10, 15, 20, 25, 30 }));
            },
            Run = (rng, a) =>
            {
                var p = a["principal"]!.GetValue<double>();
                var r = a["annual_rate"]!.GetValue<double>() / 1200;
                var n = a["years"]!.GetValue<int>() * 12;
                var monthly = Math.Round(p * r / (1 - Math.Pow(1 + r, -n)), 2);
                return new JsonObject { ["monthly_payment"] = monthly, ["total_interest"] = Math.Round((monthly * n) - p, 2) };
            },
            Answers =
            [
                "Your monthly payment would be {r.monthly_payment}, and you'd pay {r.total_interest} in interest over the {years} years.",
                "For {principal} at {annual_rate}% over {years} years, the payment is {r.monthly_payment} per month (total interest {r.total_interest}).",
                "Monthly payment: {r.monthly_payment}. Total interest over {years} years: {r.total_interest}.",
            ],
        },
        new()
        {
            Name = "get_crypto_price",
            Domain = "finance",
            Description = "Get the current price of a cryptocurrency in a fiat currency.",
            Parameters = Object(
                Req("coin", Enum("The cryptocurrency", ValuePools.Coins)),
                Opt("currency", String("ISO code of the fiat currency, default USD"))),
            HeldOut = true,
            Purpose = "get the current price of {coin}",
            Phrasings =
            [
                "What's {coin} worth right now?",
                "Price of {coin} in {currency}?",
                "How much does one {coin} cost in {currency} today?",
                "Check the {coin} price for me.",
            ],
            Sample = (rng, s) =>
            {
                s.Set("coin", rng.Pick(ValuePools.Coins));
                s.Set("currency", rng.Pick(ValuePools.Currencies));
            },
            Run = (rng, a) => new JsonObject
            {
                ["coin"] = a["coin"]!.GetValue<string>(),
                ["price"] = rng.Range(0.1, 60000.0, 2),
                ["currency"] = a["currency"]?.GetValue<string>() ?? "USD",
            },
            Answers = ["One {r.coin} is currently worth {r.price} {r.currency}.", "{r.coin} is at {r.price} {r.currency} right now."],
            FollowUpSlot = "coin",
        },
        new()
        {
            Name = "get_exchange_rate",
            Domain = "finance",
            Description = "Get the exchange rate between two currencies.",
            Parameters = Object(
                Req("base_currency", String("ISO code of the base currency")),
                Req("quote_currency", String("ISO code of the quote currency"))),
            Purpose = "look up the {base_currency}/{quote_currency} exchange rate",
            Phrasings =
            [
                "What's the exchange rate from {base_currency} to {quote_currency}?",
                "How many {quote_currency} do I get for one {base_currency}?",
                "Current {base_currency} to {quote_currency} rate, please.",
                "Check the {base_currency}/{quote_currency} rate for me.",
                "Is the {base_currency} strong against the {quote_currency} today? Give me the rate.",
                "What's one {base_currency} worth in {quote_currency}?",
                "Give me the {base_currency} to {quote_currency} exchange rate.",
            ],
            HeldOutPhrasings =
            [
                "One {base_currency} buys how many {quote_currency} these days?",
                "Where does {base_currency} stand against {quote_currency} right now?",
            ],
            Sample = (rng, s) =>
            {
                var pair = rng.PickDistinct(ValuePools.Currencies, 2);
                s.Set("base_currency", pair[0]);
                s.Set("quote_currency", pair[1]);
            },
            Run = (rng, a) => new JsonObject { ["rate"] = rng.Range(0.05, 3.0, 4), ["as_of"] = "today 09:00 UTC" },
            Answers =
            [
                "1 {base_currency} = {r.rate} {quote_currency} (as of {r.as_of}).",
                "The {base_currency}/{quote_currency} rate is {r.rate}, last updated {r.as_of}.",
                "Right now one {base_currency} buys {r.rate} {quote_currency} (as of {r.as_of}).",
            ],
            FollowUpSlot = "quote_currency",
        },
    ];
}
