using BilateralApi.Infrastructure.Import;

namespace BilateralApi.Tests.Import;

/// <summary>The reader/writer hand-over of an import: order kept, memory bounded, either side's failure stops both.</summary>
public sealed class ImportPipelineTests
{
    [Fact]
    public async Task Rows_reach_the_writer_in_order_across_many_batches()
    {
        const int rows = (ImportPipeline.BatchSize * 7) + 3;
        var written = new List<int>();
        await ImportPipeline.RunAsync<int>(async (batcher, stop) =>
        {
            for (var i = 0; i < rows; i++)
            {
                await batcher.AddAsync(i, stop);
            }
        }, written.Add, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, rows), written);
    }

    [Fact]
    public async Task The_reader_waits_when_the_writer_is_behind()
    {
        var read = 0;
        var gate = new TaskCompletionSource();
        // On the thread pool, not xUnit's two-thread context: the writer below blocks the thread it runs on.
        var run = Task.Run(() => ImportPipeline.RunAsync<int>(async (batcher, stop) =>
        {
            for (var i = 0; i < ImportPipeline.BatchSize * 100; i++)
            {
                await batcher.AddAsync(i, stop);
                Interlocked.Increment(ref read);
            }
        }, _ => gate.Task.Wait(), CancellationToken.None));

        // The writer holds one batch; the channel the next ones; the reader fills one more and waits there.
        var bound = ImportPipeline.BatchSize * (ImportPipeline.BatchesAhead + 2);
        for (var waited = 0; Volatile.Read(ref read) < bound - ImportPipeline.BatchSize && waited < 10_000; waited += 20)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200);
        Assert.InRange(Volatile.Read(ref read), bound - ImportPipeline.BatchSize, bound);
        gate.SetResult();
        await run;
        Assert.Equal(ImportPipeline.BatchSize * 100, read);
    }

    [Fact]
    public async Task A_broken_body_surfaces_after_the_rows_before_it_are_written()
    {
        var written = new List<int>();
        var failure = await Assert.ThrowsAsync<ImportBodyException>(() => ImportPipeline.RunAsync<int>(async (batcher, stop) =>
        {
            for (var i = 0; i < 10; i++)
            {
                await batcher.AddAsync(i, stop);
            }
            await batcher.FlushAsync(stop);
            throw new ImportBodyException("broken at row 11");
        }, written.Add, CancellationToken.None));

        Assert.Equal("broken at row 11", failure.Message);
        Assert.Equal(Enumerable.Range(0, 10), written);
    }

    [Fact]
    public async Task A_writer_failure_stops_the_reader_and_is_the_one_reported()
    {
        var readerStopped = new TaskCompletionSource<bool>();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ImportPipeline.RunAsync<int>(async (batcher, stop) =>
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await batcher.AddAsync(i, stop);
                }
            }
            catch (OperationCanceledException)
            {
                readerStopped.SetResult(true);
                throw;
            }
        }, row =>
        {
            if (row == 5000)
            {
                throw new InvalidOperationException("disk full");
            }
        }, CancellationToken.None));

        Assert.Equal("disk full", failure.Message);
        Assert.True(await readerStopped.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
