// Every test here starts a TracerProvider listening to the process-wide "LoadLab" ActivitySource; run them one at a time
// so that one test's provider never samples or exports another test's activities.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
