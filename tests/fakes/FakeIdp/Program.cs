using System.Diagnostics;
using FakeIdp;

// dotnet FakeIdp.dll --fixtures <tests/fixtures/idp-discovery> [--delay-ms N] [--log file]
//                    [--parent-pid N] [--lifetime-sec N]
// Prints one line "FAKEIDP <http url> <https url>" once it listens, then serves until its standard
// input closes, the parent process is gone, or the lifetime (default 900 s) is over: it never
// outlives the test that started it by long.
string? fixtures = null, log = null;
int delayMs = 0, parentPid = 0, lifetimeSec = 900;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--fixtures": fixtures = Next(); break;
        case "--delay-ms": delayMs = int.Parse(Next()); break;
        case "--log": log = Next(); break;
        case "--parent-pid": parentPid = int.Parse(Next()); break;
        case "--lifetime-sec": lifetimeSec = int.Parse(Next()); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
if (fixtures == null || !File.Exists(Path.Combine(fixtures, "routes.json")))
{
    Console.Error.WriteLine("--fixtures must name the folder holding routes.json (tests/fixtures/idp-discovery)");
    return 2;
}

await using var server = await FakeIdpServer.StartAsync(fixtures, delayMs, log);
Console.WriteLine($"FAKEIDP {server.HttpUrl} {server.HttpsUrl}");
Console.Out.Flush();

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(lifetimeSec));
_ = Task.Run(() =>
{
    // Standard input closes when the parent goes away (or closes it to stop us).
    try { while (Console.In.Read() >= 0) { } } catch (IOException) { }
    stop.Cancel();
});
if (parentPid > 0)
{
    _ = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try { using var p = Process.GetProcessById(parentPid); if (p.HasExited) break; }
            catch (ArgumentException) { break; }
            await Task.Delay(1000);
        }
        stop.Cancel();
    });
}
try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
return 0;
