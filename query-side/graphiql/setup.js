/* global window, document, React, ReactDOM, GraphiQL, graphqlWs */
/* GraphiQL bootstrap (runs in the browser). Queries and mutations go over HTTP POST to /graphql with the headers
   from GraphiQL's Headers tab; subscriptions go over graphql-ws on /graphql, with the Authorization header sent in
   connection_init. */
(function () {
  'use strict';
  var httpUrl = new URL('/graphql', window.location.href).toString();
  var wsUrl = httpUrl.replace(/^http/, 'ws');

  function operationOf(params, opts) {
    var doc = opts && opts.documentAST;
    if (!doc) return /^\s*subscription\b/.test(params.query || '') ? 'subscription' : 'query';
    var ops = doc.definitions.filter(function (d) { return d.kind === 'OperationDefinition'; });
    var op = ops.find(function (d) { return !params.operationName || (d.name && d.name.value === params.operationName); });
    return op ? op.operation : 'query';
  }

  function authorizationOf(headers) {
    if (!headers) return undefined;
    for (var key in headers) if (key.toLowerCase() === 'authorization') return headers[key];
    return undefined;
  }

  function subscribe(params, headers) {
    return {
      subscribe: function (observer) {
        var authorization = authorizationOf(headers);
        var client = graphqlWs.createClient({
          url: wsUrl,
          lazy: true,
          retryAttempts: 0,
          connectionParams: authorization ? { authorization: authorization } : {},
        });
        var dispose = client.subscribe(params, {
          next: function (value) { observer.next(value); },
          error: function (error) {
            var message = error && error.message ? error.message
              : 'subscription refused (code ' + (error && error.code) + ' ' + ((error && error.reason) || '') + ')';
            observer.next({ errors: [{ message: message }] });
            observer.complete();
          },
          complete: function () { observer.complete(); client.dispose(); },
        });
        return { unsubscribe: function () { dispose(); client.dispose(); } };
      },
    };
  }

  function fetcher(params, opts) {
    var headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, (opts && opts.headers) || {});
    if (operationOf(params, opts) === 'subscription') return subscribe(params, opts && opts.headers);
    return fetch(httpUrl, { method: 'POST', headers: headers, body: JSON.stringify(params) }).then(function (r) {
      return r.json();
    });
  }

  var defaultQuery = [
    '# Knowledge Assistant API. Register (the first user becomes admin), then put the access token in the',
    '# Headers tab below as {"Authorization": "Bearer <accessToken>"}.',
    '',
    'mutation Register {',
    '  register(email: "you@example.com", password: "a long password", displayName: "You") {',
    '    accessToken',
    '    refreshToken',
    '    user { id email role }',
    '  }',
    '}',
    '',
    'query Me {',
    '  me { id email displayName role }',
    '  knowledgeBases { id name documentCount createdAt }',
    '}',
    '',
  ].join('\n');

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: true,
    }),
  );
})();
