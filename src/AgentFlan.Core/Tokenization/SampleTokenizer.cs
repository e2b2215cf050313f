using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;

namespace AgentFlan.Tokenization;

/// <summary>
/// Turns a conversation into token ids and a loss mask, one template segment at a time: each segment is
/// encoded on its own, so a mask boundary is always a token boundary and the mask is exact by construction.
/// The document ends with the tokenizer's end-of-text id (unsupervised: the template's own end-of-turn
/// marker is what the model learns to stop on).
/// </summary>
public sealed class SampleTokenizer
{
    private readonly LoadedTokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly MaskingSettings _masking;

    public SampleTokenizer(LoadedTokenizer tokenizer, ChatTemplate template, MaskingSettings? masking = null)
    {
        _tokenizer = tokenizer;
        _template = template;
        _masking = masking ?? new MaskingSettings();
    }

    public IReadOnlyList<TemplateSegment> Segments(Conversation conversation) => _template.Render(conversation, _masking);

    public TokenizedSample Tokenize(Conversation conversation)
    {
        var tokens = new List<int>();
        var loss = new List<byte>();
        var capabilities = new List<Capability>();
        foreach (var segment in Segments(conversation))
        {
            var ids = _tokenizer.Encode(segment.Text);
            tokens.AddRange(ids);
            for (int i = 0; i < ids.Count; i++)
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
