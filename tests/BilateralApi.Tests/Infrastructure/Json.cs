using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BilateralApi.Tests.Infrastructure;

public static class Json
{
    public static StringContent Body(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static StringContent Body(object value, string mediaType = "application/json") =>
        new(JsonSerializer.Serialize(value, BilateralApi.Infrastructure.Json.JsonDefaults.Options), Encoding.UTF8, mediaType);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> GetJsonAsync(this HttpClient client, string url) =>
        client.GetFromJsonAsync<JsonElement>(url);
}
