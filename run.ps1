#!/usr/bin/env pwsh
<#
.SYNOPSIS
    LoadLab's one entry point: demo, tests, the observability stack, nightly runs, comparisons
    and game days.

.DESCRIPTION
    Every command runs the same `loadlab` command that the README documents, either a published
    `loadlab` on the PATH or `dotnet run --project src/LoadLab.Cli --`. Bash users run the
    commands shown by `./run.ps1 help` directly.

.EXAMPLE
    ./run.ps1 up
    ./run.ps1 nightly -Release 1.4.2
    ./run.ps1 compare -Baseline results/<run>/result.json -Candidate results/<run>/result.json
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('help', 'demo', 'test', 'up', 'down', 'nightly', 'compare', 'gameday')]
    [string] $Command = 'help',

    # nightly: the release label of the run (default: the profile's).
    [string] $Release,

    # nightly: the profile to run.
    [string] $ProfilePath = 'scenarios/profiles/nightly.yaml',

    # gameday: the game-day file.
    [string] $GameDay = 'scenarios/profiles/gameday-payments.yaml',

    # compare: one or more baseline result files and one candidate result file.
    [string[]] $Baseline,
    [string] $Candidate,
    [ValidateSet('table', 'markdown', 'json', 'junit', 'html')]
    [string] $Format = 'table',

    # demo: how long the demo runs, in seconds.
    [int] $Duration = 30,

    # down: also delete the stack's volumes (Prometheus, Grafana, Tempo, Loki data).
    [switch] $Volumes,

    # Where results go (loadlab's --results).
    [string] $Results = 'results',

    # Prometheus and OTLP endpoints of the stack that `up` starts.
    [string] $PrometheusUrl = 'http://127.0.0.1:9090',
    [string] $OtlpUrl = 'http://127.0.0.1:4318'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
Set-Location $root

function Invoke-LoadLab {
    # Runs a loadlab sub-command and stops with its exit code when it fails.
    $loadlab = Get-Command loadlab -CommandType Application -ErrorAction SilentlyContinue
    if ($loadlab) {
        & $loadlab.Source @args
    }
    else {
        & dotnet run --project (Join-Path $root 'src/LoadLab.Cli') -c Release '--' @args
    }
    if ($LASTEXITCODE -ne 0) {
        Write-Host "loadlab $($args[0]) exited with code $LASTEXITCODE (README: Exit codes)" -ForegroundColor Red
        exit $LASTEXITCODE
    }
}

function Invoke-Docker {
    & docker @args
    if ($LASTEXITCODE -ne 0) {
        exit $LASTEXITCODE
    }
}

function Show-Help {
    @"
Usage: ./run.ps1 <command> [options]

  demo      loadlab demo --duration $Duration --results $Results
            A short run against the built-in sample targets; no Docker needed.
  test      eng/test.sh
            Builds and runs every test suite.
  up        docker compose up -d --build --wait
            Prometheus :9090, Pushgateway :9091, Tempo :3200/:4318, Loki :3100,
            Grafana :3000 (anonymous viewer), sample targets :5080/:5081.
  down      docker compose down [-v with -Volumes]
  nightly   loadlab run $ProfilePath [--release R] --results $Results
                --out prometheus-rw=$PrometheusUrl/api/v1/write --out otlp=$OtlpUrl
            Then open Grafana: http://127.0.0.1:3000/d/loadlab-run
  compare   loadlab compare --baseline A [--baseline A2]... --candidate B --format $Format
  gameday   loadlab gameday $GameDay --results $Results
  help      this text

Options: -Release, -ProfilePath, -GameDay, -Baseline, -Candidate, -Format, -Duration,
         -Volumes, -Results, -PrometheusUrl, -OtlpUrl
Bash: the same commands, with `dotnet run --project src/LoadLab.Cli --` for `loadlab`.
"@ | Write-Host
}

switch ($Command) {
    'help' {
        Show-Help
    }
    'demo' {
        Invoke-LoadLab demo '--duration' $Duration '--results' $Results
    }
    'test' {
        & bash (Join-Path $root 'eng/test.sh')
        exit $LASTEXITCODE
    }
    'up' {
        Invoke-Docker compose up '-d' '--build' '--wait'
        Write-Host 'Grafana: http://127.0.0.1:3000  Prometheus: http://127.0.0.1:9090'
    }
    'down' {
        if ($Volumes) {
            Invoke-Docker compose down '-v'
        }
        else {
            Invoke-Docker compose down
        }
    }
    'nightly' {
        $runArgs = @($ProfilePath, '--results', $Results,
            '--out', "prometheus-rw=$PrometheusUrl/api/v1/write",
            '--out', "otlp=$OtlpUrl")
        if ($Release) {
            $runArgs += @('--release', $Release)
        }
        Invoke-LoadLab run @runArgs
        Write-Host 'Grafana: http://127.0.0.1:3000/d/loadlab-run'
    }
    'compare' {
        if (-not $Baseline -or -not $Candidate) {
            Write-Host 'compare needs -Baseline <result.json> (one or more) and -Candidate <result.json>' -ForegroundColor Red
            exit 2
        }
        $compareArgs = @()
        foreach ($b in $Baseline) {
            $compareArgs += @('--baseline', $b)
        }
        $compareArgs += @('--candidate', $Candidate, '--format', $Format)
        Invoke-LoadLab compare @compareArgs
    }
    'gameday' {
        Invoke-LoadLab gameday $GameDay '--results' $Results
    }
}
