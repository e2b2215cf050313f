using System.Runtime.CompilerServices;
using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Transforms;

namespace AgentFlan.Tokenization;

/// <summary>
/// Turns a conversation into token ids and a loss mask, one template segment at a time: each segment is
/// encoded on its own, so a mask boundary is always a token boundary and the mask is exact by construction.
/// <see cref="Document"/> renders and tokenizes (the expensive, cacheable part); the <see cref="RenderPlan"/>
/// gives each sample its form (ReAct, JSON or chat) and then weighs the document's segments by capability
/// (<see cref="RenderPlan.Weigh(TokenizedDocument)"/>): a segment the weights drop keeps its capability but not
/// its loss, so per-token capabilities count eligible tokens and the loss mask counts achieved ones. The
/// document ends with the tokenizer's end-of-text id (unsupervised: the template's own end-of-turn marker is
/// what the model learns to stop on).
/// </summary>
public sealed class SampleTokenizer
{
    private readonly LoadedTokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly MaskingSettings _masking;
    private readonly RenderPlan? _plan;
    private readonly Caching.DocumentMemo? _memo;

    [ThreadStatic]
    private static List<int>? _ids;

    /// <summary>This thread's buffer a segment's text is copied into for encoding (segments keep their pieces unjoined).</summary>
    [ThreadStatic]
    private static char[]? _text;

    public SampleTokenizer(LoadedTokenizer tokenizer, ChatTemplate template, MaskingSettings? masking = null, RenderPlan? plan = null, Caching.DocumentMemo? memo = null)
    {
        _memo = memo;
        _tokenizer = tokenizer;
        _template = template;
        _masking = masking ?? new MaskingSettings();
        _plan = plan;
    }

    /// <summary>The rendered segments with the capability weights applied.</summary>
    public IReadOnlyList<TemplateSegment> Segments(Conversation conversation) =>
        _plan is null ? Render(conversation) : _plan.Weigh(conversation.Id, Render(conversation));

    /// <summary>The sample as training sees it: tokens, the weighed loss mask and per-token capabilities.</summary>
    public TokenizedSample Tokenize(Conversation conversation)
    {
        var document = Document(conversation);
        return _plan is null ? RenderPlan.Unweighed(document) : _plan.Weigh(document);
    }

    /// <summary>The conversation rendered in its planned form and tokenized, before capability weights.</summary>
    public TokenizedDocument Document(Conversation conversation) =>
        _memo is null
            ? Render(conversation, Render(conversation))
            : _memo.Get(conversation, FormOf(conversation), () => Render(conversation, Render(conversation)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TokenizedDocument Render(Conversation conversation, IReadOnlyList<TemplateSegment> segments)
    {
        // Every segment's ids go into one reused list (per thread), then one array: no list per segment.
        var ids = _ids ??= new List<int>(4096);
        ids.Clear();
        var spans = new DocumentSegment[segments.Count];
        for (int s = 0; s < segments.Count; s++)
        {
            int start = ids.Count;
            var segment = segments[s];
            var text = _text ??= new char[4096];
            if (text.Length < segment.Length)
            {
                _text = text = new char[Math.Max(segment.Length, 2 * text.Length)];
            }

            segment.CopyTo(text);
            _tokenizer.EncodeTo(text.AsSpan(0, segment.Length), ids);
            spans[s] = new DocumentSegment(start, ids.Count - start, segments[s].Capability, segments[s].Supervised);
        }

        ids.Add(_tokenizer.Info.EndOfText);
        return new TokenizedDocument(conversation.Id, conversation.Kind, conversation.Provenance.Source, TokenizedDocument.Locate(conversation.Provenance), [.. ids], spans);
    }

    private IReadOnlyList<TemplateSegment> Render(Conversation conversation) => _template.Render(conversation, _masking, FormOf(conversation));

    private RenderForm FormOf(Conversation conversation) => _plan?.FormOf(conversation) ?? RenderForms.Default(conversation.Kind);
}
