using System.Threading.Channels;

namespace BilateralApi.Infrastructure.Import;

/// <summary>
/// Runs an import's reading (parse and check, on a thread of its own) and its writing (on the caller,
/// which owns the write connection) at the same time, handing rows over in batches through a bounded
/// channel: memory stays at a few batches whatever the file's size, and rows reach the writer in file
/// order. A failure on either side stops both: the reader's exception (a broken body) surfaces once the
/// rows before it are written; a writer's exception (or cancellation) stops the reader, and is the one
/// the caller sees.
/// </summary>
public static class ImportPipeline
{
    /// <summary>Rows per hand-over: large enough that the channel's cost per row is nil, small enough to start writing at once.</summary>
    public const int BatchSize = 1024;

    /// <summary>Batches waiting for the writer at most; the reader waits when it is this far ahead.</summary>
    public const int BatchesAhead = 4;

    public static Task RunAsync<T>(Func<Batcher<T>, CancellationToken, Task> read, Action<T> write, CancellationToken cancellationToken) =>
        RunAsync(read, (batch, _) =>
        {
            foreach (var row in batch)
            {
                write(row);
            }
            return ValueTask.CompletedTask;
        }, cancellationToken);

    /// <summary>As above, the writer taking each batch as it comes, and free to wait (a store that sends rows over the network).</summary>
    public static async Task RunAsync<T>(Func<Batcher<T>, CancellationToken, Task> read, Func<T[], CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T[]>(new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            var batcher = new Batcher<T>(channel.Writer);
            try
            {
                await read(batcher, stop.Token);
                await batcher.FlushAsync(stop.Token);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);
        try
        {
            // Ends when the reader completes the channel, failed or not; its outcome is awaited below.
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    await write(batch, cancellationToken);
                }
            }
        }
        catch
        {
            await stop.CancelAsync();
            // The reader's own ending (cancelled, most likely) is not what went wrong.
            await Task.WhenAny(reader);
            throw;
        }
        await reader;
    }

    /// <summary>The reader's end of the channel: collects rows into batches.</summary>
    public sealed class Batcher<T>(ChannelWriter<T[]> channel)
    {
        private T[] _batch = new T[BatchSize];
        private int _count;

        public ValueTask AddAsync(T row, CancellationToken cancellationToken)
        {
            _batch[_count++] = row;
            return _count == BatchSize ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_count == 0)
            {
                return ValueTask.CompletedTask;
            }
            var full = _count == BatchSize ? _batch : _batch[.._count];
            _batch = new T[BatchSize];
            _count = 0;
            return channel.WriteAsync(full, cancellationToken);
        }
    }
}
