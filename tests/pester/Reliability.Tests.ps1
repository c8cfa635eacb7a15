# Reliability: many processes on one config file, a lock holder that is killed, writers killed at
# random points, several cmdlets at once in one process. Every child process is bounded in time and
# stopped (by its id) at the end.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:Manifest = Join-Path $ModulePath 'ExternalIdp.psd1'

    function Start-ChildPwsh {
        <# Starts a child pwsh on a script; stdout and stderr go to files. Returns the Process. #>
        param([string] $Script, [string] $OutFile)
        $how = Get-PwshInvocation
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $psi = [System.Diagnostics.ProcessStartInfo]::new($how.File)
        foreach ($a in $how.Prefix + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.RedirectStandardInput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $p.StandardInput.Close()
        # Drain both streams into the file so a full pipe never blocks the child.
        $p | Add-Member -NotePropertyName OutTask -NotePropertyValue $p.StandardOutput.ReadToEndAsync()
        $p | Add-Member -NotePropertyName ErrTask -NotePropertyValue $p.StandardError.ReadToEndAsync()
        $p | Add-Member -NotePropertyName OutFile -NotePropertyValue $OutFile
        $p
    }

    function Stop-ChildPwsh {
        <# Kills the child (and anything it started) if it still runs, and collects its output. #>
        param([System.Diagnostics.Process] $Process)
        if (-not $Process.HasExited) { try { $Process.Kill($true) } catch { } }
        $null = $Process.WaitForExit(10000)
        $text = ''
        if ($Process.OutTask.Wait(5000)) { $text += $Process.OutTask.Result }
        if ($Process.ErrTask.Wait(5000)) { $text += $Process.ErrTask.Result }
        if ($Process.OutFile) { Set-Content -LiteralPath $Process.OutFile -Value $text }
        $text
    }

    function Get-StrayTempFile {
        param([string] $ConfigPath)
        $dir = Split-Path -Parent $ConfigPath
        $name = Split-Path -Leaf $ConfigPath
        @(Get-ChildItem -LiteralPath $dir -Force -File | Where-Object { $_.Name -like ".$name.*.tmp" })
    }

    # The lock as the module takes it (ConfigFileStore.Lock is internal: reached through reflection).
    $script:HoldLockScript = @'
$ErrorActionPreference = 'Stop'
Import-Module '{0}'
$null = Get-KratosIdp -ConfigPath '{1}'
$asm = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {{ $_.GetName().Name -eq 'ExternalIdp.Core' }} | Select-Object -First 1
$store = $asm.GetType('ExternalIdp.Core.ConfigFile.ConfigFileStore', $true)
$lock = $store.GetMethod('Lock').Invoke($null, @('{1}', [Threading.CancellationToken]::None, [TimeSpan]::FromSeconds(30)))
[Console]::Out.WriteLine("LOCKED $PID")
[Console]::Out.Flush()
Start-Sleep -Seconds 120
'@
}

Describe 'Many processes on one config file' {
    It 'ends with every change of 16 processes present and a valid file' {
        $cfg = New-KratosConfig
        $processes = 16
        $dir = Join-Path $TestDrive 'workers'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $children = foreach ($n in 0..($processes - 1)) {
            # Each worker: Add two IdPs, relabel one, remove the other: 4 operations, all on the same file.
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($Manifest.Replace("'", "''"))'
`$s = ConvertTo-SecureString -String 'w$n-SECRET-value' -AsPlainText -Force
`$null = Add-KratosIdp w$n -ConfigPath '$cfg' -Provider google -ClientId 'client-w$n' -ClientSecret `$s
`$null = Add-KratosIdp x$n -ConfigPath '$cfg' -Provider github -ClientId 'client-x$n' -ClientSecret `$s
Set-KratosIdpProvider -Name w$n -ConfigPath '$cfg' -Label 'Worker ${n}: #$n'
Remove-KratosIdp -Name x$n -ConfigPath '$cfg'
'done'
"@
            Start-ChildPwsh -Script $script -OutFile (Join-Path $dir "w$n.txt")
        }
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(150)
            foreach ($c in $children) {
                $left = [Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
                $null = $c.WaitForExit([int] $left)
            }
        }
        finally {
            $outputs = foreach ($c in $children) { Stop-ChildPwsh $c }
        }
        $sw.Stop()
        Write-Host ("  figures: {0} processes, {1} operations on one file in {2:n0} s" -f $processes, ($processes * 4), $sw.Elapsed.TotalSeconds)
        foreach ($i in 0..($processes - 1)) {
            $children[$i].ExitCode | Should -Be 0 -Because "worker $i wrote: $($outputs[$i])"
            $outputs[$i] | Should -Match 'done'
        }
        $idps = @(Get-KratosIdp -ConfigPath $cfg)
        $idps.Count | Should -Be ($processes + 1)
        ($idps.Name | Sort-Object) | Should -Be (@('github') + (0..($processes - 1) | ForEach-Object { "w$_" }) | Sort-Object)
        foreach ($n in 0..($processes - 1)) {
            ($idps | Where-Object Name -eq "w$n").Label | Should -Be "Worker ${n}: #$n"
        }
        $idps.Status | Sort-Object -Unique | Should -Be 'Valid'
        Get-StrayTempFile $cfg | Should -HaveCount 0
        Get-Content -Raw -LiteralPath $cfg | Should -Not -Match '(?m)^\s*- id: x\d+'
        Get-Content -Raw -LiteralPath $cfg | Should -Match ([regex]::Escape("# GitHub sign-in for staff"))
    }

    It 'runs ForEach-Object -Parallel cmdlets in one process without spoiling each other' {
        $shared = New-KratosConfig
        $own = 1..4 | ForEach-Object { New-KratosConfig }
        $results = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:Manifest
            $i = $_
            $s = ConvertTo-SecureString -String "p$i-secret" -AsPlainText -Force
            $null = Add-KratosIdp "p$i" -ConfigPath $using:shared -Provider google -ClientId "client-$i" -ClientSecret $s
            Set-KratosIdpProvider -Name "p$i" -ConfigPath $using:shared -Label "Parallel $i"
            $mine = ($using:own)[$i % 4]
            $null = Add-KratosIdp "q$i" -ConfigPath $mine -Provider github -ClientId "gh-$i" -ClientSecret $s
            (Get-KratosIdp -ConfigPath $using:shared -Name "p$i").Label
        }
        ($results | Sort-Object) | Should -Be (1..8 | ForEach-Object { "Parallel $_" } | Sort-Object)
        (@(Get-KratosIdp -ConfigPath $shared).Name | Sort-Object) | Should -Be (@('github') + (1..8 | ForEach-Object { "p$_" }) | Sort-Object)
        foreach ($k in 0..3) {
            $expected = @('github') + (1..8 | Where-Object { $_ % 4 -eq $k } | ForEach-Object { "q$_" })
            (@(Get-KratosIdp -ConfigPath $own[$k]).Name | Sort-Object) | Should -Be ($expected | Sort-Object)
        }
    }
}

Describe 'A lock holder that dies' {
    It 'names the holding process, and its death releases the lock for a writer that is waiting' {
        $cfg = New-KratosConfig
        $out = Join-Path $TestDrive 'holder.txt'
        $holder = Start-ChildPwsh -Script ($HoldLockScript -f $Manifest.Replace("'", "''"), $cfg.Replace("'", "''")) -OutFile $null
        try {
            # The child describes itself in the lock file once it holds the lock.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            $described = $false
            while (-not $holder.HasExited -and [DateTime]::UtcNow -lt $deadline) {
                if ((Test-Path "$cfg.lock") -and ((Get-Item "$cfg.lock").Length -gt 0)) { $described = $true; break }
                Start-Sleep -Milliseconds 100
            }
            $described | Should -BeTrue -Because 'the child takes the lock and describes itself'

            # A writer that gives up names the holder: its pid and host.
            # The core lives in the module's own load context: reach its types through the assembly.
            $core = [ExternalIdp.KratosIdp].Assembly
            $target = $core.GetType('ExternalIdp.Core.Targets', $true)::Open($cfg, $null, $null, $null)
            $target.LockTimeout = [TimeSpan]::FromMilliseconds(500)
            $settings = [Activator]::CreateInstance($core.GetType('ExternalIdp.Core.IdpSettings', $true))
            $settings.Provider = 'github'; $settings.ClientId = 'gh2'
            $settings.ClientSecret = $core.GetType('ExternalIdp.Core.SecretValue', $true)::new((ConvertTo-SecureString 's3cret-value' -AsPlainText -Force))
            $options = [Activator]::CreateInstance($core.GetType('ExternalIdp.Core.OperationOptions', $true))
            $err = $null
            try { $null = $target.Add('second', $settings, $options, $null) } catch { $err = $_.Exception.InnerException }
            $err | Should -Not -BeNullOrEmpty
            $err.ErrorId | Should -Be 'KratosConfigFileLocked'
            $err.Message | Should -Match ("held by process {0} \(" -f $holder.Id)
            $err.Message | Should -Match ([regex]::Escape(" on $([Environment]::MachineName), since "))
            $before = Get-FileSha $cfg

            # A writer waits (30 s lock wait) while the holder is killed: it goes ahead at once.
            $job = Start-ThreadJob -ArgumentList $Manifest, $cfg, $Secret -ScriptBlock {
                param($m, $path, $secret)
                Import-Module $m
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $idp = Add-KratosIdp waiter -ConfigPath $path -Provider google -ClientId 'c-waiter' -ClientSecret $secret
                "$($idp.Name) $([int]$sw.Elapsed.TotalSeconds)"
            }
            Start-Sleep -Milliseconds 1500
            $job.State | Should -Be 'Running' -Because 'the writer waits for the lock'
            Get-FileSha $cfg | Should -Be $before
            $holder.Kill()
            $null = $holder.WaitForExit(10000)
            $result = $job | Wait-Job -Timeout 60 | Receive-Job
            $job | Remove-Job -Force
            $result | Should -Match '^waiter \d+$'
            [int]($result -split ' ')[1] | Should -BeLessThan 30 -Because 'the lock of a killed process is released at once, not after the wait runs out'
            (Get-KratosIdp -ConfigPath $cfg).Name | Should -Be @('github', 'waiter')
        }
        finally {
            $null = Stop-ChildPwsh $holder
        }
    }
}

Describe 'Writers killed at random points' {
    It 'leave the old file or the new one, never a mix, and nothing a later run trips over' {
        # A big file makes each write long enough for kills to land inside it.
        $sb = [Text.StringBuilder]::new($BaseConfig)
        $null = $sb.Append("`ncourier:`n  templates:`n")
        foreach ($i in 0..30000) { $null = $sb.Append("    t${i}: `"value $i with some text to make the file big`"`n") }
        $cfg = New-KratosConfig -Content $sb.ToString()
        # The first Add switches OIDC on; from then on only the providers list may change.
        $null = Add-KratosIdp first -ConfigPath $cfg -Provider github -ClientId 'gh' -ClientSecret $Secret
        $header = (Get-Content -Raw -LiteralPath $cfg).Substring(0, (Get-Content -Raw -LiteralPath $cfg).IndexOf('          # GitHub sign-in'))
        $rounds = 6
        $seed = if ($env:EXTERNALIDP_RANDOM_SEED) { [int] $env:EXTERNALIDP_RANDOM_SEED } else { 20261129 }
        $rnd = [Random]::new($seed)
        $strays = 0
        $seen = @()
        $added = 0
        foreach ($round in 1..$rounds) {
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($Manifest.Replace("'", "''"))'
`$s = ConvertTo-SecureString -String 'kill-SECRET-$round' -AsPlainText -Force
foreach (`$i in 1..400) {
    `$null = Add-KratosIdp "r$round-`$i" -ConfigPath '$cfg' -Provider google -ClientId "c-`$i" -ClientSecret `$s
}
"@
            $p = Start-ChildPwsh -Script $script -OutFile $null
            if ($round % 2 -eq 1) {
                # At a random time: pwsh takes a second or two to start, so somewhere in its first writes (or before them).
                Start-Sleep -Milliseconds (2000 + $rnd.Next(0, 3000))
            }
            else {
                # Inside a write: as soon as its temp file shows, after a random short spin.
                $dir = Split-Path -Parent $cfg
                $pattern = '.' + (Split-Path -Leaf $cfg) + '.*.tmp'
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                $spin = $rnd.Next(0, 2000)
                while (-not $p.HasExited -and [DateTime]::UtcNow -lt $deadline -and [IO.Directory]::GetFiles($dir, $pattern).Count -eq 0) { }
                for ($k = 0; $k -lt $spin; $k++) { }
                try { $p.Kill() } catch { }
            }
            $null = Stop-ChildPwsh $p
            $left = @(Get-StrayTempFile $cfg).Name
            if (@($left | Where-Object { $_ -notin $seen }).Count -gt 0) { $strays++ }
            $seen = $left

            # What is left reads as a whole file: the header untouched, the Adds of this round a gapless prefix.
            $text = Get-Content -Raw -LiteralPath $cfg
            $text.StartsWith($header) | Should -BeTrue -Because "round $round (seed $seed)"
            $idps = @(Get-KratosIdp -ConfigPath $cfg)
            $idps.Status | Sort-Object -Unique | Should -Be 'Valid'
            $mine = @($idps.Name | Where-Object { $_ -like "r$round-*" })
            $expected = if ($mine.Count -eq 0) { @() } else { @(1..$mine.Count | ForEach-Object { "r$round-$_" }) }
            $mine | Should -Be $expected -Because "round $round (seed $seed)"
            $added += $mine.Count
        }
        Write-Host ("  figures: {0} writers killed (seed {1}), {2} Adds landed, {3} kills left a partly written temp file" -f $rounds, $seed, $added, $strays)
        # The next run is not bothered, and cleans up what the killed writers left.
        $null = Add-KratosIdp after-kills -ConfigPath $cfg -Provider gitlab -ClientId 'gl' -ClientSecret $Secret
        Get-StrayTempFile $cfg | Should -HaveCount 0
        (Get-KratosIdp -ConfigPath $cfg -Name after-kills).Status | Should -Be 'Valid'
    }
}

Describe 'A config file keeps its identity' {
    BeforeAll {
        $script:IsRootOnLinux = $IsLinux -and ((& id -u) -eq '0')
        function Get-Identity([string] $Path) { (& stat -L -c '%u:%g %a' -- $Path) }
    }

    It 'is edited through a chain of links (relative and absolute), which stay links' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'symbolic links to files need Unix here (Windows needs developer mode or admin rights)'; return }
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n').Substring(0, 8))
        $real = New-Item -ItemType Directory -Path (Join-Path $dir 'srv') -Force
        $etc = New-Item -ItemType Directory -Path (Join-Path $dir 'etc') -Force
        $file = Join-Path $real 'kratos.yml'
        # OIDC already on, so that Add then Remove gives the same bytes back.
        [IO.File]::WriteAllText($file, $BaseConfig.Replace("`r`n", "`n").Replace("    oidc:`n      enabled: false", "    oidc:`n      enabled: true"))
        $original = Get-FileSha $file
        # etc/kratos.yml -> current.yml (relative) -> srv/kratos.yml (absolute)
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $etc 'current.yml') -Target $file
        Push-Location $etc
        try { $null = New-Item -ItemType SymbolicLink -Path 'kratos.yml' -Target 'current.yml' } finally { Pop-Location }
        $link = Join-Path $etc 'kratos.yml'
        (Get-Item $link).LinkTarget | Should -Be 'current.yml'

        $idp = Add-KratosIdp google -ConfigPath $link -Provider google -ClientId 'c-google' -ClientSecret $Secret
        $idp.ConfigPath | Should -Be $link
        Set-KratosIdpProvider google -ConfigPath $link -Label 'Google staff'
        (Get-KratosIdp -ConfigPath $file -Name google).Label | Should -Be 'Google staff'
        (Get-Item $link).LinkTarget | Should -Be 'current.yml'
        (Get-Item (Join-Path $etc 'current.yml')).LinkTarget | Should -Be $file
        Test-Path "$file.lock" | Should -BeTrue -Because 'the lock lives beside the file itself'
        Test-Path "$link.lock" | Should -BeFalse
        Remove-KratosIdp google -ConfigPath $link
        Get-FileSha $file | Should -Be $original
        @(Get-ChildItem -LiteralPath $real, $etc -Force -Filter '*.tmp') | Should -HaveCount 0
    }

    It 'keeps the owner, group and mode of a file edited by root' {
        if (-not $IsRootOnLinux) { Set-ItResult -Skipped -Because 'needs root on Linux to give the file to another user (uid 65534); CI runs as root'; return }
        $cfg = New-KratosConfig
        & chown 65534:65534 $cfg
        & chmod 640 $cfg
        $null = Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId 'c-google' -ClientSecret $Secret
        Get-Identity $cfg | Should -Be '65534:65534 640'
        Set-KratosIdpProvider google -ConfigPath $cfg -Label 'Google'
        Get-Identity $cfg | Should -Be '65534:65534 640'
        Remove-KratosIdp google -ConfigPath $cfg
        Get-Identity $cfg | Should -Be '65534:65534 640'
        (Get-KratosIdp -ConfigPath $cfg).Name | Should -Be 'github'
    }

    It 'refuses a read-only file, leaving it untouched, with KratosConfigFileWriteFailed' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'tests the Unix mode 0444 (Windows: the read-only attribute, same refusal)'; return }
        $cfg = New-KratosConfig
        & chmod 444 $cfg
        (Get-Item $cfg).LastWriteTimeUtc = [datetime]::new(2021, 3, 4, 5, 6, 7, [DateTimeKind]::Utc)
        $before = Get-FileSha $cfg
        $e = Get-CmdletError { Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId 'c-google' -ClientSecret $Secret }
        Get-ErrorId $e | Should -Be 'KratosConfigFileWriteFailed'
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e.Exception.Message | Should -Match ([regex]::Escape("$cfg is read-only (its mode is 0444: no one may write it)"))
        $e.ErrorDetails.RecommendedAction | Should -Match 'writable'
        Get-FileSha $cfg | Should -Be $before
        (Get-Item $cfg).LastWriteTimeUtc | Should -Be ([datetime]::new(2021, 3, 4, 5, 6, 7, [DateTimeKind]::Utc))
        Test-Path "$cfg.lock" | Should -BeFalse
    }
}
