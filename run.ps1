#!/usr/bin/env pwsh
<#
.SYNOPSIS
    LoadLab's one entry point: demo, tests, the observability stack, nightly runs, comparisons
    and game days.

.DESCRIPTION
    Every command runs the same `loadlab` command that the README documents, either a published
    `loadlab` on the PATH or `dotnet run --project src/LoadLab.Cli --`. `gameday` runs it in the
    stack's runner container instead (docker compose run), beside the chaos proxy's admin API.
    Bash users run the commands shown by `./run.ps1 help` directly.

.EXAMPLE
    ./run.ps1 up
    ./run.ps1 nightly -Release 1.4.2
    ./run.ps1 gameday
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

    # gameday: the game-day file, under scenarios/profiles (the runner container sees that folder).
    [string] $GameDay = 'scenarios/profiles/gameday-payments-stack.yaml',

    # compare: one or more baseline result files and one candidate result file.
    [string[]] $Baseline,
    [string] $Candidate,
    [ValidateSet('table', 'markdown', 'json', 'junit', 'html')]
    [string] $Format = 'table',

    # demo: how long the demo runs, in seconds.
    [int] $Duration = 30,

    # down: also delete the stack's volumes (Prometheus, Grafana, Tempo, Loki data).
    [switch] $Volumes,

    # Where results go (loadlab's --results; gameday writes to ./results, the runner's mount).
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

function Initialize-AdminToken {
    # docker-compose.yml requires LOADLAB_ADMIN_TOKEN (the chaos proxy's admin token) on every
    # compose call: from the environment, else from .env (git-ignored), which docker compose reads;
    # when neither has one, a random one is written to .env. The token is never printed.
    if ($env:LOADLAB_ADMIN_TOKEN) {
        return
    }

    $envFile = Join-Path $root '.env'
    if ((Test-Path $envFile) -and (Select-String -Path $envFile -Pattern '^\s*LOADLAB_ADMIN_TOKEN=' -Quiet)) {
        return
    }

    $bytes = [byte[]]::new(16)
    [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
    $token = ([System.BitConverter]::ToString($bytes) -replace '-', '').ToLowerInvariant()
    $line = "LOADLAB_ADMIN_TOKEN=$token"
    if (Test-Path $envFile) {
        $text = Get-Content -Raw $envFile
        if ($text -and -not $text.EndsWith("`n")) {
            $line = [Environment]::NewLine + $line
        }
    }

    Add-Content -Path $envFile -Value $line
    Write-Host 'Wrote a random LOADLAB_ADMIN_TOKEN (the chaos proxy admin token) to .env'
}

function ConvertTo-RunnerPath([string] $Path) {
    # The runner container works in /loadlab with the repository's scenarios/profiles mounted at
    # the same relative path (docker-compose.yml), so a file there keeps its relative path.
    $relative = $Path.Replace('\', '/')
    if ($relative.StartsWith('./')) {
        $relative = $relative.Substring(2)
    }

    if (-not $relative.StartsWith('scenarios/profiles/') -or -not (Test-Path (Join-Path $root $relative) -PathType Leaf)) {
        Write-Host "-GameDay $Path must be a file in scenarios/profiles/, given relative to the repository: the runner container sees only that folder" -ForegroundColor Red
        exit 2
    }

    return $relative
}

function Invoke-Runner {
    # Runs a loadlab sub-command in the stack's runner container (docker compose run --rm runner):
    # it shares the network namespace of Prometheus, the targets and the chaos proxy, whose admin
    # API listens on loopback there. Outside Windows it runs as your user, so ./results stays yours.
    New-Item -ItemType Directory -Force -Path (Join-Path $root 'results') | Out-Null
    $user = @()
    if ($env:OS -ne 'Windows_NT') {
        $user = @('--user', "$(id -u):$(id -g)")
    }

    & docker compose run '--rm' @user runner @args
    if ($LASTEXITCODE -ne 0) {
        Write-Host "loadlab $($args[0]) in the runner container exited with code $LASTEXITCODE (README: Exit codes)" -ForegroundColor Red
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
            Grafana :3000 (anonymous viewer), sample targets :5080/:5081, chaos proxy :8081
            in front of payments-service. Writes a random LOADLAB_ADMIN_TOKEN to .env when
            neither the environment nor .env has one.
  down      docker compose down [-v with -Volumes]
  nightly   loadlab run $ProfilePath [--release R] --results $Results
                --out prometheus-rw=$PrometheusUrl/api/v1/write --out otlp=$OtlpUrl
            Then open Grafana: http://127.0.0.1:3000/d/loadlab-run
  compare   loadlab compare --baseline A [--baseline A2]... --candidate B --format $Format
  gameday   docker compose run --rm [--user UID:GID] runner gameday $GameDay --results /loadlab/results
            In the stack (after up): the load and the faults go through the chaos proxy, whose
            admin API only the stack's network namespace reaches. Results in ./results; then
            open Grafana: http://127.0.0.1:3000/d/loadlab-gameday
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
        Initialize-AdminToken
        Invoke-Docker compose up '-d' '--build' '--wait'
        Write-Host 'Grafana: http://127.0.0.1:3000  Prometheus: http://127.0.0.1:9090'
    }
    'down' {
        Initialize-AdminToken
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
        Initialize-AdminToken
        $gameDayFile = ConvertTo-RunnerPath $GameDay
        Invoke-Runner gameday $gameDayFile '--results' '/loadlab/results'
        Write-Host 'Grafana: http://127.0.0.1:3000/d/loadlab-gameday  Results: ./results'
    }
}
