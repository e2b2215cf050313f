using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class ShoppingTools
{
    private static readonly string[] Brands = ["Nordic", "Apex", "Lumo", "Terra", "Vela", "Kestrel", "Orbit", "Maple"];
    private static readonly string[] Categories = ["electronics", "sports", "home", "office", "outdoor"];
    private static readonly string[] Statuses = ["in transit", "out for delivery", "delivered", "at the local depot"];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "search_products",
            Domain = "shopping",
            Description = "Search the store catalogue for products.",
            Parameters = Object(
                Req("query", String("What to look for")),
                Opt("max_price", Number("Maximum price in USD", 0)),
                Opt("category", Enum("Product category", Categories)),
                Opt("in_stock_only", Boolean("Only return products that are in stock"))),
            Purpose = "search the store for {query}",
            Phrasings =
            [
                "I'm looking for {query}. What do you have?",
                "Find {query} under {max_price} dollars.",
                "Search for {query} in {category}, {in_stock_only}.",
                "Show me {query} for less than {max_price}.",
                "Do you sell {query}? Only {in_stock_only}.",
                "I want to buy {query}; budget {max_price} USD.",
                "Do you have {query} in {category}?",
                "Find me {query}, {in_stock_only}.",
            ],
            HeldOutPhrasings = ["Shopping for {query}, nothing over {max_price}. Ideas?"],
            Sample = (rng, s) =>
            {
                s.Set("query", rng.Pick(ValuePools.Products));
                s.Set("max_price", (double)(rng.Range(3, 40) * 10));
                s.Set("category", rng.Pick(Categories));
                var stock = rng.Chance(0.7);
                s.Set("in_stock_only", JsonValue.Create(stock), stock ? "things that are in stock" : "including out-of-stock items");
            },
            Run = (rng, a) =>
            {
                var what = a["query"]!.GetValue<string>();
                var noun = what.StartsWith("a ", StringComparison.Ordinal) ? what[2..] : what.StartsWith("an ", StringComparison.Ordinal) ? what[3..] : what;
                var cap = (int)(a["max_price"]?.GetValue<double>() ?? 400);
                var products = new JsonArray();
                foreach (var brand in rng.PickDistinct(Brands, 2))
                {
                    products.Add(new JsonObject
                    {
                        ["product_id"] = $"P-{rng.Range(10000, 99999)}",
                        ["name"] = $"{brand} {noun}",
                        ["price"] = Math.Round(Math.Max(1, rng.Range(cap / 3, cap)) - 0.01, 2),
                    });
                }

                return new JsonObject { ["products"] = products };
            },
            Answers =
            [
                "I found these (id, name, price in USD):{r.products}",
                "Here are matching products:{r.products}",
                "Products matching {query}:{r.products}",
            ],
            FollowUpSlot = "query",
        },
        new()
        {
            Name = "add_to_cart",
            Domain = "shopping",
            Description = "Add a product to the shopping cart.",
            Parameters = Object(Req("product_id", String("The product id, such as P-12345")), Req("quantity", Integer("How many", 1, 20))),
            Purpose = "add {quantity} of {product_id} to the cart",
            Phrasings =
            [
                "Add {quantity} of {product_id} to my cart.",
                "Put product {product_id} in the basket, quantity {quantity}.",
                "I'll take {quantity} x {product_id}.",
                "Please add {product_id} to my cart ({quantity}).",
                "Add product {product_id} to my cart, {quantity} please.",
                "Can you put {quantity} units of {product_id} in my cart?",
                "Cart {product_id} x{quantity}.",
            ],
            HeldOutPhrasings =
            [
                "Cart: {product_id}, {quantity} units.",
                "Throw {quantity} of {product_id} into my basket.",
            ],
            Sample = (rng, s) =>
            {
                s.Set("product_id", $"P-{rng.Range(10000, 99999)}");
                s.Set("quantity", rng.Range(1, 4));
            },
            Run = (rng, a) => new JsonObject
            {
                ["cart_items"] = rng.Range(1, 6) + a["quantity"]!.GetValue<int>(),
                ["cart_total"] = rng.Range(20.0, 600.0, 2),
            },
            Answers =
            [
                "Added. Your cart now has {r.cart_items} items, total {r.cart_total} USD.",
                "Done: {r.cart_items} items in the cart, {r.cart_total} USD in total.",
                "Done — {r.cart_items} items in your cart now, total {r.cart_total} USD.",
            ],
        },
        new()
        {
            Name = "track_package",
            Domain = "shopping",
            Description = "Track a parcel by its tracking number.",
            Parameters = Object(
                Req("tracking_number", String("The tracking number")),
                Opt("carrier", Enum("The shipping carrier", ValuePools.Carriers))),
            Purpose = "track package {tracking_number}",
            Phrasings =
            [
                "Where is my package {tracking_number}?",
                "Track {tracking_number} for me.",
                "Can you check the status of my {carrier.upper} shipment {tracking_number}?",
                "Has parcel {tracking_number} arrived yet? It's with {carrier.upper}.",
                "Tracking number {tracking_number}, what's the status?",
                "Track my {carrier.upper} parcel {tracking_number}.",
            ],
            HeldOutPhrasings = ["Any movement on {tracking_number}?"],
            Sample = (rng, s) =>
            {
                s.Set("tracking_number", $"1Z{rng.Range(100000, 999999)}{rng.Range(1000, 9999)}");
                var carrier = rng.Pick(ValuePools.Carriers);
                s.Set("carrier", carrier);
                s.Text("carrier.upper", carrier.ToUpperInvariant());
            },
            Run = (rng, a) => new JsonObject
            {
                ["status"] = rng.Pick(Statuses),
                ["last_location"] = rng.Pick(ValuePools.Cities),
                ["estimated_delivery"] = $"2025-{rng.Range(1, 12):00}-{rng.Range(1, 28):00}",
            },
            Answers =
            [
                "Package {tracking_number} is {r.status}, last seen in {r.last_location}. Estimated delivery: {r.estimated_delivery}.",
                "Status: {r.status} (last scan in {r.last_location}); expected {r.estimated_delivery}.",
                "Tracking {tracking_number}: {r.status}, last seen in {r.last_location}, due {r.estimated_delivery}.",
            ],
            FollowUpSlot = "tracking_number",
        },
        new()
        {
            Name = "get_order_status",
            Domain = "shopping",
            Description = "Get the status of an order by its id.",
            Parameters = Object(Req("order_id", String("The order id")), Opt("include_items", Boolean("Whether to list the items"))),
            Purpose = "check the status of order {order_id}",
            Phrasings =
            [
                "What's the status of order {order_id}?",
                "Has my order {order_id} shipped?",
                "Check order {order_id}, {include_items}.",
                "Any update on order number {order_id}?",
                "Where is order {order_id}?",
                "Status of {order_id}, please.",
                "Can you look up order {order_id} and {include_items}?",
            ],
            HeldOutPhrasings = ["Order {order_id}: where are we?"],
            Sample = (rng, s) =>
            {
                s.Set("order_id", $"ORD-{rng.Range(100000, 999999)}");
                var items = rng.Chance(0.5);
                s.Set("include_items", JsonValue.Create(items), items ? "and list what's in it" : "no need to list the items");
            },
            Run = (rng, a) =>
            {
                var result = new JsonObject { ["order_id"] = a["order_id"]!.GetValue<string>(), ["status"] = rng.Pick(new[] { "processing", "shipped", "delivered" }) };
                if (a["include_items"]?.GetValue<bool>() == true)
                {
                    result["items"] = ValuePools.Strings(rng.PickDistinct(ValuePools.Products, 2));
                }

                return result;
            },
            Answers =
            [
                "Order {r.order_id} is {r.status}.{r.rest}",
                "Your order {r.order_id}: {r.status}.{r.rest}",
                "Order {r.order_id} status: {r.status}.{r.rest}",
            ],
            FollowUpSlot = "order_id",
        },
        new()
        {
            Name = "apply_coupon",
            Domain = "shopping",
            Description = "Apply a discount code to an order.",
            Parameters = Object(Req("order_id", String("The order id")), Req("code", String("The coupon code"))),
            HeldOut = true,
            Purpose = "apply coupon {code} to order {order_id}",
            Phrasings = ["Apply the code {code} to order {order_id}.", "I have a coupon, {code}. Can you use it on {order_id}?", "Use discount {code} for my order {order_id}."],
            Sample = (rng, s) =>
            {
                s.Set("order_id", $"ORD-{rng.Range(100000, 999999)}");
                s.Set("code", rng.Pick(new[] { "SPRING10", "WELCOME5", "FREESHIP", "SAVE20" }));
            },
            Run = (rng, a) => new JsonObject { ["discount"] = rng.Range(2.0, 40.0, 2), ["new_total"] = rng.Range(20.0, 300.0, 2) },
            Answers = ["Coupon {code} saved you {r.discount}; order {order_id} now totals {r.new_total}."],
        },
    ];
}
