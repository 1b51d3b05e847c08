import Plot
import Vapor

enum HTMLResponse {
    static func make(_ html: HTML, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html.render()))
    }
}
