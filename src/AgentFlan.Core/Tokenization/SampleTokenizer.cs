using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Transforms;

namespace AgentFlan.Tokenization;

/// <summary>
/// Turns a conversation into token ids and a loss mask, one template segment at a time: each segment is
/// encoded on its own, so a mask boundary is always a token boundary and the mask is exact by construction.
/// The <see cref="RenderPlan"/> gives each sample its form (ReAct, JSON or chat) and applies the capability
/// weights; a segment the weights drop keeps its capability but not its loss, so per-token capabilities count
/// eligible tokens and the loss mask counts achieved ones. The document ends with the tokenizer's end-of-text
/// id (unsupervised: the template's own end-of-turn marker is what the model learns to stop on).
/// </summary>
public sealed class SampleTokenizer
{
    private readonly LoadedTokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly MaskingSettings _masking;
    private readonly RenderPlan? _plan;
    private readonly Caching.TokenMemo? _memo;

    public SampleTokenizer(LoadedTokenizer tokenizer, ChatTemplate template, MaskingSettings? masking = null, RenderPlan? plan = null, Caching.TokenMemo? memo = null)
    {
        _memo = memo;
        _tokenizer = tokenizer;
        _template = template;
        _masking = masking ?? new MaskingSettings();
        _plan = plan;
    }

    public IReadOnlyList<TemplateSegment> Segments(Conversation conversation)
    {
        if (_plan is null)
        {
            return _template.Render(conversation, _masking);
        }

        return _plan.Weigh(conversation.Id, _template.Render(conversation, _masking, _plan.FormOf(conversation)));
    }

    public TokenizedSample Tokenize(Conversation conversation)
    {
        var tokens = new List<int>();
        var loss = new List<byte>();
        var capabilities = new List<Capability>();
        var segments = Segments(conversation);
        var encoded = _memo is null
            ? [.. segments.Select(s => _tokenizer.Encode(s.Text).ToArray())]
            : _memo.Encode(conversation.Provenance.Source, segments, text => [.. _tokenizer.Encode(text)]);
        for (int s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            var ids = encoded[s];
            tokens.AddRange(ids);
            for (int i = 0; i < ids.Length; i++)
            {
                loss.Add(segment.Supervised ? (byte)1 : (byte)0);
                capabilities.Add(segment.Capability);
            }
        }

        tokens.Add(_tokenizer.Info.EndOfText);
        loss.Add(0);
        capabilities.Add(Capability.None);
        return new TokenizedSample(conversation.Id, conversation.Kind, [.. tokens], [.. loss], [.. capabilities]);
    }
}
