using LoadLab.Cli;

// The composition root lives in CliApp; Program only hands it the arguments.
return await CliApp.InvokeAsync(args, configuration: null, CancellationToken.None);
