// These tests generate real load and measure it; on a 2-core machine two of them at once would
// measure each other. One at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
