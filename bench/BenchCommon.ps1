# Helpers shared by the benchmark scripts (dot-source them). See bench/Invoke-Bench.ps1.

function Get-Median {
    param([double[]] $Values)
    if (-not $Values -or $Values.Count -eq 0) { return $null }
    $s = [double[]]($Values | Sort-Object)
    $n = $s.Count
    if ($n % 2 -eq 1) { return $s[($n - 1) / 2] }
    ($s[$n / 2 - 1] + $s[$n / 2]) / 2
}

function Get-PwshCommand {
    <# How to start a fresh PowerShell like this one: @{ File; Prefix } (dotnet + pwsh.dll for the local tool). #>
    $exe = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $leaf = [IO.Path]::GetFileNameWithoutExtension($exe)
    if ($leaf -eq 'dotnet') {
        return @{ File = $exe; Prefix = @((Join-Path $PSHOME 'pwsh.dll')) }
    }
    @{ File = $exe; Prefix = @() }
}

function Invoke-ChildPwsh {
    <#
    Runs a script file in a fresh PowerShell (-NoProfile -NonInteractive) with the given arguments,
    streams its output, and throws when it fails. Returns the wall time in milliseconds.
    #>
    param([string] $Script, [string[]] $Arguments = @(), [switch] $Quiet)
    $pw = Get-PwshCommand
    $argv = @($pw.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $Script) + $Arguments
    $sw = [Diagnostics.Stopwatch]::StartNew()
    if ($Quiet) { & $pw.File @argv | Out-Null } else { & $pw.File @argv | Out-Host }
    $exit = $LASTEXITCODE
    $sw.Stop()
    if ($exit -ne 0) { throw "$([IO.Path]::GetFileName($Script)) failed with exit code $exit." }
    $sw.Elapsed.TotalMilliseconds
}

function Measure-Ms {
    <# Milliseconds the script block takes (its output discarded). #>
    param([scriptblock] $Block)
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = & $Block
    $sw.Stop()
    [Math]::Round($sw.Elapsed.TotalMilliseconds, 2)
}

function New-BenchKratosConfig {
    <#
    A realistic kratos.yml with $Count providers (generic, google and github in turn), written to
    $Path (LF line breaks). Returns the provider ids in file order.
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int] $Count)
    $sb = [Text.StringBuilder]::new()
    $null = $sb.Append(@'
# Ory Kratos configuration (benchmark fixture).
version: v1.3.0

dsn: postgres://kratos:secret@postgres:5432/kratos?sslmode=disable&max_conns=20&max_idle_conns=4

serve:
  public:
    base_url: https://auth.example.com/
    cors:
      enabled: true
      allowed_origins:
        - https://app.example.com
  admin:
    base_url: http://kratos:4434/

selfservice:
  default_browser_return_url: https://app.example.com/
  allowed_return_urls:
    - https://app.example.com
  methods:
    password:
      enabled: true
    totp:
      enabled: true
      config:
        issuer: Example
    oidc:
      enabled: true
      config:
        providers:

'@)
    $ids = [Collections.Generic.List[string]]::new()
    for ($i = 1; $i -le $Count; $i++) {
        $n = '{0:D5}' -f $i
        switch ($i % 3) {
            1 {
                $id = "corp-$n"
                $null = $sb.Append(@"
          # Corporate OIDC issuer $n
          - id: $id
            provider: generic
            label: Corp SSO $n
            client_id: corp-client-$n
            client_secret: corp-secret-$n-0123456789abcdef
            issuer_url: https://sso$n.corp.example.com/realms/main
            mapper_url: file:///etc/config/kratos/oidc.generic.jsonnet
            scope:
              - openid
              - email
              - profile

"@)
            }
            2 {
                $id = "google-$n"
                $null = $sb.Append(@"
          - id: $id
            provider: google
            label: Google $n
            client_id: $n-abcdefghijklmnop.apps.googleusercontent.com
            client_secret: GOCSPX-google-secret-$n
            mapper_url: file:///etc/config/kratos/oidc.google.jsonnet
            scope:
              - openid
              - email
              - profile

"@)
            }
            default {
                $id = "github-$n"
                $null = $sb.Append(@"
          - id: $id
            provider: github
            client_id: Iv1.github$n
            client_secret: github-secret-$n-0123456789abcdef0123
            mapper_url: file:///etc/config/kratos/oidc.github.jsonnet
            scope:
              - user:email

"@)
            }
        }
        $ids.Add($id)
    }
    $null = $sb.Append(@'
  flows:
    error:
      ui_url: https://app.example.com/error
    settings:
      ui_url: https://app.example.com/settings
      privileged_session_max_age: 15m
    recovery:
      enabled: true
      ui_url: https://app.example.com/recovery
    verification:
      enabled: true
      ui_url: https://app.example.com/verification
    logout:
      after:
        default_browser_return_url: https://app.example.com/login
    login:
      ui_url: https://app.example.com/login
      lifespan: 10m
    registration:
      lifespan: 10m
      ui_url: https://app.example.com/registration
      after:
        oidc:
          hooks:
            - hook: session

log:
  level: info
  format: json
  leak_sensitive_values: false

secrets:
  cookie:
    - PLEASE-CHANGE-ME-I-AM-VERY-INSECURE
  cipher:
    - 32-LONG-SECRET-NOT-SECURE-AT-ALL

hashers:
  algorithm: bcrypt
  bcrypt:
    cost: 8

identity:
  default_schema_id: default
  schemas:
    - id: default
      url: file:///etc/config/kratos/identity.schema.json

courier:
  smtp:
    connection_uri: smtps://test:test@mailslurper:1025/?skip_ssl_verify=true
'@)
    [IO.File]::WriteAllText($Path, $sb.ToString().Replace("`r`n", "`n"), [Text.UTF8Encoding]::new($false))
    , $ids.ToArray()
}
