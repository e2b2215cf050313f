using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Training;
using AgentFlan.Training;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public sealed class ScheduleAndOrderTests
{
    [TestMethod]
    public void Warmup_is_linear_then_cosine_reaches_the_minimum_at_the_last_step()
    {
        var settings = new TrainingSettings { Steps = 111, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRate = 1e-4 };

        Assert.AreEqual(1e-4, LearningRateSchedule.At(settings, 0), 1e-12);
        Assert.AreEqual(1e-3, LearningRateSchedule.At(settings, 9), 1e-12);
        Assert.AreEqual(1e-3, LearningRateSchedule.At(settings, 10), 1e-12);
        Assert.AreEqual(5.5e-4, LearningRateSchedule.At(settings, 60), 1e-12);
        Assert.AreEqual(1e-4, LearningRateSchedule.At(settings, 110), 1e-12);
        Assert.AreEqual(1e-3, LearningRateSchedule.At(settings with { Schedule = "constant" }, 110), 1e-12);
    }

    [TestMethod]
    public void The_data_order_is_a_seeded_permutation_per_epoch()
    {
        var first = new DataOrder(50, seed: 9);
        var again = new DataOrder(50, seed: 9);
        var epoch0 = Enumerable.Range(0, 50).Select(i => first.RowAt(i)).ToArray();
        var epoch1 = Enumerable.Range(50, 50).Select(i => first.RowAt(i)).ToArray();

        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).Select(i => (long)i).ToArray(), epoch0);
        CollectionAssert.AreEquivalent(epoch0, epoch1);
        CollectionAssert.AreNotEqual(epoch0, epoch1);
        CollectionAssert.AreEqual(epoch1, Enumerable.Range(50, 50).Select(i => again.RowAt(i)).ToArray(), "pure function of (seed, epoch, position)");
        CollectionAssert.AreNotEqual(epoch0, DataOrder.Permutation(10, 0, 50));
    }

    [TestMethod]
    public void A_compact_vocabulary_maps_ids_both_ways_and_round_trips_through_json()
    {
        var vocabulary = TokenVocabulary.Compact([500, 7, 7, 42], 1000, 999);
        var loaded = TokenVocabulary.FromJson(vocabulary.ToJson());

        Assert.AreEqual(4, loaded.Size);
        CollectionAssert.AreEqual(new[] { 7, 42, 500, 999 }, Enumerable.Range(0, 4).Select(loaded.ToTokenizer).ToArray());
        Assert.AreEqual(2, loaded.ToModel(500));
        Assert.AreEqual(-1, loaded.ToModel(8));
        Assert.AreEqual(999, loaded.EndOfText);
    }
}
