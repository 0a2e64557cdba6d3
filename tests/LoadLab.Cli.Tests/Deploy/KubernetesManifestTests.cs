using LoadLab.Engine.BuiltIns;
using LoadLab.Engine.Configuration;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Cli.Tests.Deploy;

/// <summary>
/// No cluster here: the manifests are parsed and held to the fields the Job controller requires,
/// and to the CLI they call (the segment formula, the commands and flags, the profile).
/// </summary>
public class KubernetesManifestTests
{
    private static readonly string s_dir = Path.Combine(RepoRoot(), "deploy", "k8s");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoadLab.sln")))
        {
            dir = dir.Parent;
        }

        return dir!.FullName;
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(s_dir, file))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var p in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(p)];
        }

        return node;
    }

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Theory]
    [InlineData("job-segments.yaml")]
    [InlineData("job-merge.yaml")]
    public void Job_HasWhatTheJobControllerRequires(string file)
    {
        var job = Load(file);
        Assert.Equal("batch/v1", Text(job, "apiVersion"));
        Assert.Equal("Job", Text(job, "kind"));
        Assert.False(string.IsNullOrEmpty(Text(job, "metadata", "name")));
        var pod = At(job, "spec", "template", "spec");
        Assert.Contains(Text(pod, "restartPolicy"), new[] { "Never", "OnFailure" });
        var containers = (YamlSequenceNode)At(pod, "containers");
        Assert.NotEmpty(containers);
        var volumes = ((YamlSequenceNode)At(pod, "volumes")).Select(v => Text(v, "name")).ToHashSet();
        foreach (var c in containers)
        {
            Assert.False(string.IsNullOrEmpty(Text(c, "name")));
            Assert.False(string.IsNullOrEmpty(Text(c, "image")));
            foreach (var m in (YamlSequenceNode)At(c, "volumeMounts"))
            {
                Assert.Contains(Text(m, "name"), volumes);
            }
        }
    }

    [Fact]
    public void SegmentsJob_IsIndexedAndRunsItsShareOfOneRun()
    {
        var job = Load("job-segments.yaml");
        Assert.Equal("Indexed", Text(job, "spec", "completionMode"));
        var completions = Text(job, "spec", "completions");
        Assert.Equal(completions, Text(job, "spec", "parallelism"));
        var container = ((YamlSequenceNode)At(job, "spec", "template", "spec", "containers"))[0];
        var env = ((YamlSequenceNode)At(container, "env")).ToDictionary(e => Text(e, "name"), e => Text(e, "value"));
        Assert.Equal(completions, env["SEGMENTS"]);
        var args = string.Join(' ', ((YamlSequenceNode)At(container, "args")).Select(a => ((YamlScalarNode)a).Value));
        Assert.Contains("loadlab run /profile/profile.yaml", args, StringComparison.Ordinal);
        Assert.Contains("--segment $((JOB_COMPLETION_INDEX+1))/${SEGMENTS}", args, StringComparison.Ordinal);
        Assert.Contains("--run-id ${RUN_ID}", args, StringComparison.Ordinal);
        Assert.Contains("--out prometheus-rw=", args, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeJob_MergesAndReportsWithExistingCommands()
    {
        var container = ((YamlSequenceNode)At(Load("job-merge.yaml"), "spec", "template", "spec", "containers"))[0];
        var args = string.Join(' ', ((YamlSequenceNode)At(container, "args")).Select(a => ((YamlScalarNode)a).Value));
        Assert.Contains("loadlab merge /results/${RUN_ID}/segment-*/*/result.json --output", args, StringComparison.Ordinal);
        Assert.Contains("loadlab report", args, StringComparison.Ordinal);
        var commands = CliApp.CreateRootCommand().Subcommands.Select(c => c.Name).ToHashSet();
        Assert.Contains("merge", commands);
        Assert.Contains("report", commands);
    }

    [Fact]
    public void ConfigMapProfile_IsAValidProfile()
    {
        var profile = Text(Load("configmap.yaml"), "data", "profile.yaml");
        var catalog = new ScenarioCatalog().Add(BuiltInScenarios.Factories).Add(LoadLab.Scenarios.ScenarioLibrary.Factories);
        var loaded = new ProfileLoader(catalog).LoadText(profile, "deploy/k8s/configmap.yaml", new ProfileOverrides());
        Assert.Equal(2, loaded.Scenarios.Count);
        Assert.Equal("loadlab-profile", Text(Load("configmap.yaml"), "metadata", "name"));
        Assert.Equal("loadlab-results", Text(Load("pvc.yaml"), "metadata", "name"));
    }
}
