namespace MapControl.Core.Coverage;

/// <summary>How the rings of the items and of the frame use one segment (stored with its lesser end point first).</summary>
internal struct SegmentUse
{
    public int Net;      // items on its left minus items on its right
    public int Uses;     // item rings using it
    public int Item;     // the last item using it
    public int FrameNet; // +1 frame on its left, −1 on its right
}

/// <summary>
/// The segment counts of a coverage check: a hash table from a segment (x1, y1, x2, y2) to its <see cref="SegmentUse"/>, in the
/// order of a <c>Dictionary</c> (entries in insertion order; a removed entry's slot is reused by the next insertion, last
/// freed first), so that the check's answers do not change with it. Non-generic on purpose: a <c>Dictionary</c> over a tuple
/// of doubles and this struct is a generic instantiation that ReadyToRun cannot precompile, and its first-tier JIT code ran the
/// hottest loop of a one-shot <c>coverage-check</c> (about a tenth of the process's CPU).
/// </summary>
internal sealed class SegmentTable
{
    private struct Entry
    {
        public double X1, Y1, X2, Y2;
        public SegmentUse Value;
        public int Hash;
        public int Next; // next entry in the bucket's chain (−1: none); for a free entry, the next free one (−1: none)
        public bool Used;
    }

    private int[] _buckets; // entry index + 1 (0: empty)
    private Entry[] _entries;
    private int _end;       // entries ever used (the enumeration bound)
    private int _count;
    private int _freeList = -1;
    private int _mask;

    public SegmentTable(int capacity = 16)
    {
        var size = 16;
        while (size < capacity) size <<= 1;
        _buckets = new int[size];
        _entries = new Entry[size];
        _mask = size - 1;
    }

    /// <summary>Segments stored.</summary>
    public int Count => _count;

    /// <summary>The exclusive bound of entry indexes for enumeration (<see cref="IsUsed"/> tells which are stored).</summary>
    public int End => _end;

    /// <summary>Whether entry <paramref name="index"/> holds a segment.</summary>
    public bool IsUsed(int index) => _entries[index].Used;

    /// <summary>The segment of entry <paramref name="index"/>.</summary>
    public (double X1, double Y1, double X2, double Y2) KeyAt(int index)
    {
        ref var e = ref _entries[index];
        return (e.X1, e.Y1, e.X2, e.Y2);
    }

    /// <summary>The counts of entry <paramref name="index"/>.</summary>
    public ref SegmentUse ValueAt(int index) => ref _entries[index].Value;

    /// <summary>The counts of a segment, added as zero when it is not stored yet.</summary>
    public ref SegmentUse GetOrAdd(double x1, double y1, double x2, double y2)
    {
        var hash = HashOf(x1, y1, x2, y2);
        for (var i = _buckets[hash & _mask] - 1; i >= 0; i = _entries[i].Next)
        {
            ref var e = ref _entries[i];
            if (e.Hash == hash && e.X1 == x1 && e.Y1 == y1 && e.X2 == x2 && e.Y2 == y2) return ref e.Value;
        }
        int index;
        if (_freeList >= 0)
        {
            index = _freeList;
            _freeList = _entries[index].Next;
        }
        else
        {
            if (_end == _entries.Length) Grow();
            index = _end++;
        }
        ref var added = ref _entries[index];
        added = new Entry { X1 = x1, Y1 = y1, X2 = x2, Y2 = y2, Hash = hash, Used = true };
        ref var bucket = ref _buckets[hash & _mask];
        added.Next = bucket - 1;
        bucket = index + 1;
        _count++;
        return ref added.Value;
    }

    /// <summary>The counts of a stored segment (as the key), or null when it is not stored.</summary>
    public SegmentUse? Get((double X1, double Y1, double X2, double Y2) key)
    {
        var i = Find(key.X1, key.Y1, key.X2, key.Y2);
        return i >= 0 ? _entries[i].Value : null;
    }

    /// <summary>Removes a segment; false when it was not stored.</summary>
    public bool Remove((double X1, double Y1, double X2, double Y2) key)
    {
        var hash = HashOf(key.X1, key.Y1, key.X2, key.Y2);
        var previous = -1;
        for (var i = _buckets[hash & _mask] - 1; i >= 0; previous = i, i = _entries[i].Next)
        {
            ref var e = ref _entries[i];
            if (e.Hash != hash || e.X1 != key.X1 || e.Y1 != key.Y1 || e.X2 != key.X2 || e.Y2 != key.Y2) continue;
            if (previous < 0) _buckets[hash & _mask] = e.Next + 1;
            else _entries[previous].Next = e.Next;
            e = new Entry { Next = _freeList };
            _freeList = i;
            _count--;
            return true;
        }
        return false;
    }

    private int Find(double x1, double y1, double x2, double y2)
    {
        var hash = HashOf(x1, y1, x2, y2);
        for (var i = _buckets[hash & _mask] - 1; i >= 0; i = _entries[i].Next)
        {
            ref var e = ref _entries[i];
            if (e.Hash == hash && e.X1 == x1 && e.Y1 == y1 && e.X2 == x2 && e.Y2 == y2) return i;
        }
        return -1;
    }

    private void Grow()
    {
        var size = _entries.Length * 2;
        Array.Resize(ref _entries, size);
        _buckets = new int[size];
        _mask = size - 1;
        for (var i = 0; i < _end; i++)
        {
            ref var e = ref _entries[i];
            if (!e.Used) continue;
            ref var bucket = ref _buckets[e.Hash & _mask];
            e.Next = bucket - 1;
            bucket = i + 1;
        }
    }

    // Equal keys (compared with ==, so 0.0 and −0.0 are one) hash alike: −0.0 hashes as 0.0.
    private static int HashOf(double x1, double y1, double x2, double y2)
    {
        var h = Mix(Bits(x1)) ^ Mix(Bits(y1) + 0x9E3779B97F4A7C15UL) ^ Mix(Bits(x2) + 0x3C6EF372FE94F82AUL) ^ Mix(Bits(y2) + 0xDAA66D2C7DDF743FUL);
        return (int)(h ^ (h >> 32)) & int.MaxValue;

        static ulong Bits(double v) => v == 0 ? 0UL : (ulong)BitConverter.DoubleToInt64Bits(v);

        static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
