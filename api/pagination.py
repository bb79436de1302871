"""Collection pagination with links (NL API Design Rules, HAL-style ``_links``).

The body carries ``_links`` (self, first, prev, next, last; prev/next absent at the ends),
``count`` and ``results``; the same links go in a ``Link`` header (RFC 8288) for clients
that read headers. An unknown page is a 404 problem+json.
"""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

LINK_SCHEMA = {
    "type": "object",
    "properties": {"href": {"type": "string", "format": "uri"}},
    "required": ["href"],
}


class LinkedPagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = "Paginanummer (vanaf 1)."
    page_size_query_description = (
        f"Aantal per pagina (standaard {PAGE_SIZE}, hoogstens {MAX_PAGE_SIZE})."
    )
    invalid_page_message = "Deze pagina bestaat niet."

    def _page_url(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def links(self) -> dict:
        page = self.page
        links = {
            "self": {"href": self._page_url(page.number)},
            "first": {"href": self._page_url(1)},
            "last": {"href": self._page_url(page.paginator.num_pages)},
        }
        if page.has_previous():
            links["prev"] = {"href": self._page_url(page.previous_page_number())}
        if page.has_next():
            links["next"] = {"href": self._page_url(page.next_page_number())}
        return links

    def get_paginated_response(self, data):
        links = self.links()
        header = ", ".join(f'<{link["href"]}>; rel="{rel}"' for rel, link in links.items())
        return Response(
            {"_links": links, "count": self.page.paginator.count, "results": data},
            headers={"Link": header},
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        ranges = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(ranges.get(parameter["name"], {}))
        return parameters

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["_links", "count", "results"],
            "properties": {
                "_links": {
                    "type": "object",
                    "description": "Links naar deze, de eerste, vorige, volgende en laatste "
                    "pagina.",
                    "required": ["self", "first", "last"],
                    "properties": {
                        rel: LINK_SCHEMA for rel in ("self", "first", "prev", "next", "last")
                    },
                },
                "count": {"type": "integer", "description": "Aantal resultaten in totaal."},
                "results": schema,
            },
        }
