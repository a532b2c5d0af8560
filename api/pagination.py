"""Page-number pagination whose bad parameters answer 400 with a message (never 404 or 500 for `?page=abc`)."""

from django.conf import settings
from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

MAX_PAGE = 10**9  # no list has this many pages; a bigger number is a mistake, not a request


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.page_size_value = self.get_page_size(request)
        number = self._number(request, self.page_query_param, default=1, maximum=MAX_PAGE)
        paginator = self.django_paginator_class(queryset, self.page_size_value)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(f"There is no page {number}: the last page is {paginator.num_pages}.") from None
        self.request = request
        return list(self.page)

    def get_page_size(self, request):
        return self._number(request, self.page_size_query_param, default=self.page_size, maximum=self.max_page_size)

    @staticmethod
    def _number(request, name: str, *, default: int, maximum: int) -> int:
        value = request.query_params.get(name)
        if value is None:
            return default
        if not value.isascii() or not value.isdigit() or len(value) > 10 or not 1 <= int(value) <= maximum:
            raise ValidationError({name: [f"A whole number from 1 to {maximum}."]})
        return int(value)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            maximum = MAX_PAGE if parameter["name"] == self.page_query_param else self.max_page_size
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": maximum}
        return parameters
