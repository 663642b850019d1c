"""The routes of a resource, in one shape: its list, and get, create, change and delete by id.
A resource's routes.py says what differs (schemas, service functions, summaries)."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, Query

from pbxapi.api.deps import SessionDep
from pbxapi.api.params import PageQuery
from pbxapi.api.schemas import IdIn, Page, Success, error_responses

READ_ERRORS = (400, 401, 403, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409)


class ResourceRoutes:
    """Adds a resource's routes to its router, in the order they are added (the routing
    order, and the order of the OpenAPI description), named list_<name>s, get_<name>,
    create_<name>, update_<name> and delete_<name> (their operation ids say so).

    Each route checks the policy (`may`: pbxapi.api.deps.allowed_for), then calls its service
    function with the session, the value of `context` (a dependency: the caller's
    CustomerScope, or the Caller for the global catalogue; for the reads too unless
    `reads_with_context` is false), then the query, id and/or body. It answers `to_wire` of
    the record returned, as `model` (delete: Success).

    Each method takes the route's `summary`, and may take its description `doc` (written as
    a docstring) and the error statuses it may answer, `errors` (by default READ_ERRORS for
    a GET, WRITE_ERRORS for a write)."""

    def __init__(
        self,
        router: APIRouter,
        may: SimpleNamespace,
        context: Any,
        *,
        name: str,
        to_wire: Callable[[Any], Any],
        model: type | None = None,
        reads_with_context: bool = True,
    ):
        self.router, self.may, self.context = router, may, context
        self.name, self.to_wire, self.model = name, to_wire, model
        self.reads_with_context = reads_with_context

    def list(
        self,
        list_page: Callable,
        query_model: type[PageQuery],
        list_model: type[Page],
        *,
        items: str,
        brief: Callable[[Any], Any] | None = None,
        **published: Any,
    ) -> None:
        """GET "": `list_page(session, context, query)` -> (total, records), answered as
        `list_model` with the query's offset and limit, the total and the records' wire
        objects in its field `items`: `brief`'s, if given, unless the query asks for full."""
        may, context_dep, to_wire = self.may, self.context, self.to_wire
        query_dep = Annotated[query_model, Query()]

        def answer(query: Any, page: tuple[int, list]) -> Any:
            total, records = page
            present = brief if brief is not None and not query.full else to_wire
            return list_model(
                offset=query.offset, limit=query.limit, total=total,
                **{items: [present(record) for record in records]},
            )  # fmt: skip

        if self.reads_with_context:

            def endpoint(
                session: SessionDep, _: may.list, context: context_dep, query: query_dep
            ) -> Any:
                return answer(query, list_page(session, context, query))

        else:

            def endpoint(session: SessionDep, _: may.list, query: query_dep) -> Any:
                return answer(query, list_page(session, query))

        self._add("GET", "", f"list_{self.name}s", endpoint, list_model, **published)

    def get(self, load: Callable, **published: Any) -> None:
        """GET /{id}: `load(session, context, id)`."""
        may, context_dep, to_wire = self.may, self.context, self.to_wire
        if self.reads_with_context:

            def endpoint(session: SessionDep, _: may.read, context: context_dep, id: IdIn) -> Any:
                return to_wire(load(session, context, id))

        else:

            def endpoint(session: SessionDep, _: may.read, id: IdIn) -> Any:
                return to_wire(load(session, id))

        self._add("GET", "/{id}", f"get_{self.name}", endpoint, self.model, **published)

    def create(self, create: Callable, body_model: type, **published: Any) -> None:
        """POST "": `create(session, context, body)`."""
        may, context_dep, to_wire = self.may, self.context, self.to_wire

        def endpoint(
            session: SessionDep, _: may.create, context: context_dep, body: body_model
        ) -> Any:
            return to_wire(create(session, context, body))

        self._add("POST", "", f"create_{self.name}", endpoint, self.model, **published)

    def update(self, update: Callable, body_model: type, **published: Any) -> None:
        """POST /{id}: `update(session, context, id, body)`."""
        may, context_dep, to_wire = self.may, self.context, self.to_wire

        def endpoint(
            session: SessionDep, _: may.update, context: context_dep, id: IdIn, body: body_model
        ) -> Any:
            return to_wire(update(session, context, id, body))

        self._add("POST", "/{id}", f"update_{self.name}", endpoint, self.model, **published)

    def delete(self, delete: Callable, **published: Any) -> None:
        """DELETE /{id}: `delete(session, context, id)`, answered {"success": true}."""
        may, context_dep = self.may, self.context

        def endpoint(session: SessionDep, _: may.delete, context: context_dep, id: IdIn) -> Success:
            delete(session, context, id)
            return Success()

        self._add("DELETE", "/{id}", f"delete_{self.name}", endpoint, Success, **published)

    def _add(
        self,
        method: str,
        path: str,
        name: str,
        endpoint: Callable,
        model: type | None,
        *,
        summary: str,
        doc: str | None = None,
        errors: tuple[int, ...] | None = None,
    ) -> None:
        if errors is None:
            errors = READ_ERRORS if method == "GET" else WRITE_ERRORS
        # Named and documented as a hand-written route's function: FastAPI takes the
        # operation id from the name and the description from the docstring.
        endpoint.__name__ = endpoint.__qualname__ = name
        endpoint.__doc__ = doc
        self.router.add_api_route(
            path,
            endpoint,
            methods=[method],
            response_model=model,
            summary=summary,
            responses=error_responses(*errors),
        )
