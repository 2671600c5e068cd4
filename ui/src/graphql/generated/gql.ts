/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ChatTurnFields on Turn {\n    id\n    conversationId\n    question\n    answer\n    status\n    error\n    errorCode\n    fundsNeeded\n    fundsAvailable\n    cost\n    createdAt\n    regeneratedFrom\n    citations { ...ChatCitationFields }\n    usage { model promptTokens completionTokens }\n    feedback { rating comment at }\n  }\n": typeof types.ChatTurnFieldsFragmentDoc,
    "\n  fragment ChatCitationFields on Citation {\n    n\n    documentId\n    documentName\n    excerpt\n  }\n": typeof types.ChatCitationFieldsFragmentDoc,
    "\n  subscription ChatAnswerStream($turnId: ID!, $afterSeq: Int, $minIntervalMs: Int) {\n    answerStream(turnId: $turnId, afterSeq: $afterSeq, minIntervalMs: $minIntervalMs) {\n      seq\n      delta\n      done\n      status\n      citations { ...ChatCitationFields }\n    }\n  }\n": typeof types.ChatAnswerStreamDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    workspaceId\n    knowledgeBaseIds\n    creditsPerDay\n    requestsPerMinute\n    createdAt\n    revokedAt\n  }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeys($workspaceId: ID) {\n    apiKeys(workspaceId: $workspaceId) { ...ApiKeyFields }\n  }\n": typeof types.ApiKeysDocument,
    "\n  query ApiKeyScopes {\n    workspaces { id name myRole }\n    knowledgeBases { id name workspaceId }\n  }\n": typeof types.ApiKeyScopesDocument,
    "\n  mutation CreateApiKey($name: String!, $workspaceId: ID, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int) {\n    createApiKey(\n      name: $name\n      workspaceId: $workspaceId\n      knowledgeBaseIds: $knowledgeBaseIds\n      creditsPerDay: $creditsPerDay\n      requestsPerMinute: $requestsPerMinute\n    ) {\n      key\n      apiKey { ...ApiKeyFields }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { ...ApiKeyFields }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query AuditTrailPage($stream: String!, $after: String, $limit: Int) {\n    auditTrail(stream: $stream, after: $after, limit: $limit) { position stream revision type at data metadata }\n  }\n": typeof types.AuditTrailPageDocument,
    "\n  query AuditWalletAt($userId: ID!, $position: String) {\n    walletAt(userId: $userId, position: $position) { userId balance reserved available }\n  }\n": typeof types.AuditWalletAtDocument,
    "\n  query AuditConversations {\n    conversations { id title createdAt }\n  }\n": typeof types.AuditConversationsDocument,
    "\n  query AuditKnowledgeBases {\n    knowledgeBases { id name }\n  }\n": typeof types.AuditKnowledgeBasesDocument,
    "\n  query AuditDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) { id name }\n  }\n": typeof types.AuditDocumentsDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Register($email: String!, $password: String!, $displayName: String) {\n    register(email: $email, password: $password, displayName: $displayName) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n": typeof types.RefreshTokenDocument,
    "\n  query ChatKnowledgeBases {\n    knowledgeBases { id name }\n  }\n": typeof types.ChatKnowledgeBasesDocument,
    "\n  query ChatConversations {\n    conversations { id title knowledgeBaseId createdAt }\n  }\n": typeof types.ChatConversationsDocument,
    "\n  query ChatConversation($id: ID!) {\n    conversation(id: $id) {\n      id\n      title\n      knowledgeBaseId\n      turns { ...ChatTurnFields }\n    }\n  }\n": typeof types.ChatConversationDocument,
    "\n  query ChatTurn($id: ID!) {\n    turn(id: $id) { ...ChatTurnFields }\n  }\n": typeof types.ChatTurnDocument,
    "\n  mutation ChatAsk($knowledgeBaseId: ID!, $question: String!, $conversationId: ID) {\n    ask(knowledgeBaseId: $knowledgeBaseId, question: $question, conversationId: $conversationId) { ...ChatTurnFields }\n  }\n": typeof types.ChatAskDocument,
    "\n  mutation ChatStopAnswer($turnId: ID!) {\n    stopAnswer(turnId: $turnId) { id status }\n  }\n": typeof types.ChatStopAnswerDocument,
    "\n  mutation ChatRegenerate($turnId: ID!) {\n    regenerate(turnId: $turnId) { ...ChatTurnFields }\n  }\n": typeof types.ChatRegenerateDocument,
    "\n  mutation ChatRateTurn($turnId: ID!, $rating: Rating!, $comment: String) {\n    rateTurn(turnId: $turnId, rating: $rating, comment: $comment) {\n      id\n      feedback { rating comment at }\n    }\n  }\n": typeof types.ChatRateTurnDocument,
    "\n  fragment KbChunkFields on Chunk {\n    id\n    documentId\n    knowledgeBaseId\n    revision\n    ordinal\n    text\n    headingPath\n    page\n    tokenCount\n    enabled\n  }\n": typeof types.KbChunkFieldsFragmentDoc,
    "\n  query KbChunks($documentId: ID!, $limit: Int!, $after: String) {\n    chunks(documentId: $documentId, limit: $limit, after: $after) {\n      ...KbChunkFields\n    }\n  }\n": typeof types.KbChunksDocument,
    "\n  mutation KbUpdateChunk($id: ID!, $text: String!) {\n    updateChunk(id: $id, text: $text) {\n      ...KbChunkFields\n    }\n  }\n": typeof types.KbUpdateChunkDocument,
    "\n  mutation KbSetChunkEnabled($id: ID!, $enabled: Boolean!) {\n    setChunkEnabled(id: $id, enabled: $enabled) {\n      ...KbChunkFields\n    }\n  }\n": typeof types.KbSetChunkEnabledDocument,
    "\n  fragment KbDocumentFields on Document {\n    id\n    knowledgeBaseId\n    name\n    mediaType\n    sizeBytes\n    status\n    error\n    chunkCount\n    embeddedCount\n    revision\n    updatedAt\n  }\n": typeof types.KbDocumentFieldsFragmentDoc,
    "\n  query KbDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n": typeof types.KbDocumentsDocument,
    "\n  subscription KbDocumentStatus($knowledgeBaseId: ID!) {\n    documentStatus(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n": typeof types.KbDocumentStatusDocument,
    "\n  mutation KbReindexDocument($id: ID!) {\n    reindexDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n": typeof types.KbReindexDocumentDocument,
    "\n  mutation KbDeleteDocument($id: ID!) {\n    deleteDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n": typeof types.KbDeleteDocumentDocument,
    "\n  mutation KbAddQaPair($knowledgeBaseId: ID!, $question: String!, $answer: String!) {\n    addQaPair(knowledgeBaseId: $knowledgeBaseId, question: $question, answer: $answer) {\n      id\n      documentId\n    }\n  }\n": typeof types.KbAddQaPairDocument,
    "\n  query KbDocument($id: ID!) {\n    document(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n": typeof types.KbDocumentDocument,
    "\n  fragment KbListItem on KnowledgeBase {\n    id\n    name\n    description\n    documentCount\n    feedbackUp\n    feedbackDown\n    createdAt\n    workspaceId\n    myRole\n  }\n": typeof types.KbListItemFragmentDoc,
    "\n  query KbList {\n    knowledgeBases { ...KbListItem }\n  }\n": typeof types.KbListDocument,
    "\n  mutation KbCreate($name: String!, $description: String, $workspaceId: ID, $idempotencyKey: String) {\n    createKnowledgeBase(name: $name, description: $description, workspaceId: $workspaceId, idempotencyKey: $idempotencyKey) {\n      ...KbListItem\n    }\n  }\n": typeof types.KbCreateDocument,
    "\n  query KbSearch($knowledgeBaseId: ID!, $query: String!, $limit: Int) {\n    search(knowledgeBaseId: $knowledgeBaseId, query: $query, limit: $limit) {\n      chunkId\n      documentId\n      documentName\n      headingPath\n      score\n      text\n    }\n  }\n": typeof types.KbSearchDocument,
    "\n  query TurnTrail($id: ID!) {\n    turn(id: $id) {\n      id\n      trail {\n        events { position stream revision type at amount }\n        model\n        price { promptPer1k completionPer1k }\n        hold\n        retrieved { n documentId documentName revision chunkId score }\n        usage { model promptTokens completionTokens }\n        usageCost\n        settlement\n        charged\n        problems\n      }\n    }\n  }\n": typeof types.TurnTrailDocument,
    "\n  query WalletFigures {\n    wallet { userId balance reserved available }\n  }\n": typeof types.WalletFiguresDocument,
    "\n  query WalletLedgerPage($after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    wallet {\n      userId\n      ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n        kind amount balanceAfter reference turnId model promptTokens completionTokens position at\n      }\n    }\n  }\n": typeof types.WalletLedgerPageDocument,
    "\n  subscription WalletUpdated {\n    walletUpdated { userId balance reserved available }\n  }\n": typeof types.WalletUpdatedDocument,
    "\n  query SpendUsage {\n    usage { day model turns promptTokens completionTokens cost }\n  }\n": typeof types.SpendUsageDocument,
    "\n  query DepositUsers($search: String, $limit: Int) {\n    users(search: $search, limit: $limit) { id email displayName role }\n  }\n": typeof types.DepositUsersDocument,
    "\n  mutation DepositCredits($userId: ID!, $amount: Micros!, $reference: String!) {\n    deposit(userId: $userId, amount: $amount, reference: $reference) { userId balance reserved available }\n  }\n": typeof types.DepositCreditsDocument,
    "\n  query WorkspaceWallet($id: ID!) {\n    workspace(id: $id) { id wallet { userId balance reserved available } }\n  }\n": typeof types.WorkspaceWalletDocument,
    "\n  query WorkspaceWalletLedgerPage($id: ID!, $after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    workspace(id: $id) {\n      id\n      wallet {\n        userId\n        ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n          kind amount balanceAfter reference turnId apiKeyId askedBy model promptTokens completionTokens position at\n        }\n      }\n    }\n  }\n": typeof types.WorkspaceWalletLedgerPageDocument,
    "\n  mutation FundWorkspace($workspaceId: ID!, $amount: Micros!, $reference: String!) {\n    fundWorkspace(workspaceId: $workspaceId, amount: $amount, reference: $reference) {\n      id\n      wallet { userId balance reserved available }\n    }\n  }\n": typeof types.FundWorkspaceDocument,
    "\n  query WorkspaceList {\n    workspaces {\n      id\n      name\n      myRole\n      createdAt\n      members { role }\n      knowledgeBases { id }\n    }\n  }\n": typeof types.WorkspaceListDocument,
    "\n  fragment WorkspaceDetail on Workspace {\n    id\n    name\n    myRole\n    createdAt\n    members {\n      user { id email displayName }\n      role\n      joinedAt\n    }\n    knowledgeBases { ...KbListItem }\n  }\n": typeof types.WorkspaceDetailFragmentDoc,
    "\n  query Workspace($id: ID!) {\n    workspace(id: $id) { ...WorkspaceDetail }\n  }\n": typeof types.WorkspaceDocument,
    "\n  mutation CreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name myRole }\n  }\n": typeof types.CreateWorkspaceDocument,
    "\n  mutation AddMember($workspaceId: ID!, $email: String!, $role: MemberRole!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) { ...WorkspaceDetail }\n  }\n": typeof types.AddMemberDocument,
    "\n  mutation RemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId) { ...WorkspaceDetail }\n  }\n": typeof types.RemoveMemberDocument,
};
const documents: Documents = {
    "\n  fragment ChatTurnFields on Turn {\n    id\n    conversationId\n    question\n    answer\n    status\n    error\n    errorCode\n    fundsNeeded\n    fundsAvailable\n    cost\n    createdAt\n    regeneratedFrom\n    citations { ...ChatCitationFields }\n    usage { model promptTokens completionTokens }\n    feedback { rating comment at }\n  }\n": types.ChatTurnFieldsFragmentDoc,
    "\n  fragment ChatCitationFields on Citation {\n    n\n    documentId\n    documentName\n    excerpt\n  }\n": types.ChatCitationFieldsFragmentDoc,
    "\n  subscription ChatAnswerStream($turnId: ID!, $afterSeq: Int, $minIntervalMs: Int) {\n    answerStream(turnId: $turnId, afterSeq: $afterSeq, minIntervalMs: $minIntervalMs) {\n      seq\n      delta\n      done\n      status\n      citations { ...ChatCitationFields }\n    }\n  }\n": types.ChatAnswerStreamDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    workspaceId\n    knowledgeBaseIds\n    creditsPerDay\n    requestsPerMinute\n    createdAt\n    revokedAt\n  }\n": types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeys($workspaceId: ID) {\n    apiKeys(workspaceId: $workspaceId) { ...ApiKeyFields }\n  }\n": types.ApiKeysDocument,
    "\n  query ApiKeyScopes {\n    workspaces { id name myRole }\n    knowledgeBases { id name workspaceId }\n  }\n": types.ApiKeyScopesDocument,
    "\n  mutation CreateApiKey($name: String!, $workspaceId: ID, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int) {\n    createApiKey(\n      name: $name\n      workspaceId: $workspaceId\n      knowledgeBaseIds: $knowledgeBaseIds\n      creditsPerDay: $creditsPerDay\n      requestsPerMinute: $requestsPerMinute\n    ) {\n      key\n      apiKey { ...ApiKeyFields }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { ...ApiKeyFields }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query AuditTrailPage($stream: String!, $after: String, $limit: Int) {\n    auditTrail(stream: $stream, after: $after, limit: $limit) { position stream revision type at data metadata }\n  }\n": types.AuditTrailPageDocument,
    "\n  query AuditWalletAt($userId: ID!, $position: String) {\n    walletAt(userId: $userId, position: $position) { userId balance reserved available }\n  }\n": types.AuditWalletAtDocument,
    "\n  query AuditConversations {\n    conversations { id title createdAt }\n  }\n": types.AuditConversationsDocument,
    "\n  query AuditKnowledgeBases {\n    knowledgeBases { id name }\n  }\n": types.AuditKnowledgeBasesDocument,
    "\n  query AuditDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) { id name }\n  }\n": types.AuditDocumentsDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Register($email: String!, $password: String!, $displayName: String) {\n    register(email: $email, password: $password, displayName: $displayName) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  query ChatKnowledgeBases {\n    knowledgeBases { id name }\n  }\n": types.ChatKnowledgeBasesDocument,
    "\n  query ChatConversations {\n    conversations { id title knowledgeBaseId createdAt }\n  }\n": types.ChatConversationsDocument,
    "\n  query ChatConversation($id: ID!) {\n    conversation(id: $id) {\n      id\n      title\n      knowledgeBaseId\n      turns { ...ChatTurnFields }\n    }\n  }\n": types.ChatConversationDocument,
    "\n  query ChatTurn($id: ID!) {\n    turn(id: $id) { ...ChatTurnFields }\n  }\n": types.ChatTurnDocument,
    "\n  mutation ChatAsk($knowledgeBaseId: ID!, $question: String!, $conversationId: ID) {\n    ask(knowledgeBaseId: $knowledgeBaseId, question: $question, conversationId: $conversationId) { ...ChatTurnFields }\n  }\n": types.ChatAskDocument,
    "\n  mutation ChatStopAnswer($turnId: ID!) {\n    stopAnswer(turnId: $turnId) { id status }\n  }\n": types.ChatStopAnswerDocument,
    "\n  mutation ChatRegenerate($turnId: ID!) {\n    regenerate(turnId: $turnId) { ...ChatTurnFields }\n  }\n": types.ChatRegenerateDocument,
    "\n  mutation ChatRateTurn($turnId: ID!, $rating: Rating!, $comment: String) {\n    rateTurn(turnId: $turnId, rating: $rating, comment: $comment) {\n      id\n      feedback { rating comment at }\n    }\n  }\n": types.ChatRateTurnDocument,
    "\n  fragment KbChunkFields on Chunk {\n    id\n    documentId\n    knowledgeBaseId\n    revision\n    ordinal\n    text\n    headingPath\n    page\n    tokenCount\n    enabled\n  }\n": types.KbChunkFieldsFragmentDoc,
    "\n  query KbChunks($documentId: ID!, $limit: Int!, $after: String) {\n    chunks(documentId: $documentId, limit: $limit, after: $after) {\n      ...KbChunkFields\n    }\n  }\n": types.KbChunksDocument,
    "\n  mutation KbUpdateChunk($id: ID!, $text: String!) {\n    updateChunk(id: $id, text: $text) {\n      ...KbChunkFields\n    }\n  }\n": types.KbUpdateChunkDocument,
    "\n  mutation KbSetChunkEnabled($id: ID!, $enabled: Boolean!) {\n    setChunkEnabled(id: $id, enabled: $enabled) {\n      ...KbChunkFields\n    }\n  }\n": types.KbSetChunkEnabledDocument,
    "\n  fragment KbDocumentFields on Document {\n    id\n    knowledgeBaseId\n    name\n    mediaType\n    sizeBytes\n    status\n    error\n    chunkCount\n    embeddedCount\n    revision\n    updatedAt\n  }\n": types.KbDocumentFieldsFragmentDoc,
    "\n  query KbDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n": types.KbDocumentsDocument,
    "\n  subscription KbDocumentStatus($knowledgeBaseId: ID!) {\n    documentStatus(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n": types.KbDocumentStatusDocument,
    "\n  mutation KbReindexDocument($id: ID!) {\n    reindexDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n": types.KbReindexDocumentDocument,
    "\n  mutation KbDeleteDocument($id: ID!) {\n    deleteDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n": types.KbDeleteDocumentDocument,
    "\n  mutation KbAddQaPair($knowledgeBaseId: ID!, $question: String!, $answer: String!) {\n    addQaPair(knowledgeBaseId: $knowledgeBaseId, question: $question, answer: $answer) {\n      id\n      documentId\n    }\n  }\n": types.KbAddQaPairDocument,
    "\n  query KbDocument($id: ID!) {\n    document(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n": types.KbDocumentDocument,
    "\n  fragment KbListItem on KnowledgeBase {\n    id\n    name\n    description\n    documentCount\n    feedbackUp\n    feedbackDown\n    createdAt\n    workspaceId\n    myRole\n  }\n": types.KbListItemFragmentDoc,
    "\n  query KbList {\n    knowledgeBases { ...KbListItem }\n  }\n": types.KbListDocument,
    "\n  mutation KbCreate($name: String!, $description: String, $workspaceId: ID, $idempotencyKey: String) {\n    createKnowledgeBase(name: $name, description: $description, workspaceId: $workspaceId, idempotencyKey: $idempotencyKey) {\n      ...KbListItem\n    }\n  }\n": types.KbCreateDocument,
    "\n  query KbSearch($knowledgeBaseId: ID!, $query: String!, $limit: Int) {\n    search(knowledgeBaseId: $knowledgeBaseId, query: $query, limit: $limit) {\n      chunkId\n      documentId\n      documentName\n      headingPath\n      score\n      text\n    }\n  }\n": types.KbSearchDocument,
    "\n  query TurnTrail($id: ID!) {\n    turn(id: $id) {\n      id\n      trail {\n        events { position stream revision type at amount }\n        model\n        price { promptPer1k completionPer1k }\n        hold\n        retrieved { n documentId documentName revision chunkId score }\n        usage { model promptTokens completionTokens }\n        usageCost\n        settlement\n        charged\n        problems\n      }\n    }\n  }\n": types.TurnTrailDocument,
    "\n  query WalletFigures {\n    wallet { userId balance reserved available }\n  }\n": types.WalletFiguresDocument,
    "\n  query WalletLedgerPage($after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    wallet {\n      userId\n      ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n        kind amount balanceAfter reference turnId model promptTokens completionTokens position at\n      }\n    }\n  }\n": types.WalletLedgerPageDocument,
    "\n  subscription WalletUpdated {\n    walletUpdated { userId balance reserved available }\n  }\n": types.WalletUpdatedDocument,
    "\n  query SpendUsage {\n    usage { day model turns promptTokens completionTokens cost }\n  }\n": types.SpendUsageDocument,
    "\n  query DepositUsers($search: String, $limit: Int) {\n    users(search: $search, limit: $limit) { id email displayName role }\n  }\n": types.DepositUsersDocument,
    "\n  mutation DepositCredits($userId: ID!, $amount: Micros!, $reference: String!) {\n    deposit(userId: $userId, amount: $amount, reference: $reference) { userId balance reserved available }\n  }\n": types.DepositCreditsDocument,
    "\n  query WorkspaceWallet($id: ID!) {\n    workspace(id: $id) { id wallet { userId balance reserved available } }\n  }\n": types.WorkspaceWalletDocument,
    "\n  query WorkspaceWalletLedgerPage($id: ID!, $after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    workspace(id: $id) {\n      id\n      wallet {\n        userId\n        ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n          kind amount balanceAfter reference turnId apiKeyId askedBy model promptTokens completionTokens position at\n        }\n      }\n    }\n  }\n": types.WorkspaceWalletLedgerPageDocument,
    "\n  mutation FundWorkspace($workspaceId: ID!, $amount: Micros!, $reference: String!) {\n    fundWorkspace(workspaceId: $workspaceId, amount: $amount, reference: $reference) {\n      id\n      wallet { userId balance reserved available }\n    }\n  }\n": types.FundWorkspaceDocument,
    "\n  query WorkspaceList {\n    workspaces {\n      id\n      name\n      myRole\n      createdAt\n      members { role }\n      knowledgeBases { id }\n    }\n  }\n": types.WorkspaceListDocument,
    "\n  fragment WorkspaceDetail on Workspace {\n    id\n    name\n    myRole\n    createdAt\n    members {\n      user { id email displayName }\n      role\n      joinedAt\n    }\n    knowledgeBases { ...KbListItem }\n  }\n": types.WorkspaceDetailFragmentDoc,
    "\n  query Workspace($id: ID!) {\n    workspace(id: $id) { ...WorkspaceDetail }\n  }\n": types.WorkspaceDocument,
    "\n  mutation CreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name myRole }\n  }\n": types.CreateWorkspaceDocument,
    "\n  mutation AddMember($workspaceId: ID!, $email: String!, $role: MemberRole!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) { ...WorkspaceDetail }\n  }\n": types.AddMemberDocument,
    "\n  mutation RemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId) { ...WorkspaceDetail }\n  }\n": types.RemoveMemberDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChatTurnFields on Turn {\n    id\n    conversationId\n    question\n    answer\n    status\n    error\n    errorCode\n    fundsNeeded\n    fundsAvailable\n    cost\n    createdAt\n    regeneratedFrom\n    citations { ...ChatCitationFields }\n    usage { model promptTokens completionTokens }\n    feedback { rating comment at }\n  }\n"): (typeof documents)["\n  fragment ChatTurnFields on Turn {\n    id\n    conversationId\n    question\n    answer\n    status\n    error\n    errorCode\n    fundsNeeded\n    fundsAvailable\n    cost\n    createdAt\n    regeneratedFrom\n    citations { ...ChatCitationFields }\n    usage { model promptTokens completionTokens }\n    feedback { rating comment at }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChatCitationFields on Citation {\n    n\n    documentId\n    documentName\n    excerpt\n  }\n"): (typeof documents)["\n  fragment ChatCitationFields on Citation {\n    n\n    documentId\n    documentName\n    excerpt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatAnswerStream($turnId: ID!, $afterSeq: Int, $minIntervalMs: Int) {\n    answerStream(turnId: $turnId, afterSeq: $afterSeq, minIntervalMs: $minIntervalMs) {\n      seq\n      delta\n      done\n      status\n      citations { ...ChatCitationFields }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatAnswerStream($turnId: ID!, $afterSeq: Int, $minIntervalMs: Int) {\n    answerStream(turnId: $turnId, afterSeq: $afterSeq, minIntervalMs: $minIntervalMs) {\n      seq\n      delta\n      done\n      status\n      citations { ...ChatCitationFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    workspaceId\n    knowledgeBaseIds\n    creditsPerDay\n    requestsPerMinute\n    createdAt\n    revokedAt\n  }\n"): (typeof documents)["\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    workspaceId\n    knowledgeBaseIds\n    creditsPerDay\n    requestsPerMinute\n    createdAt\n    revokedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys($workspaceId: ID) {\n    apiKeys(workspaceId: $workspaceId) { ...ApiKeyFields }\n  }\n"): (typeof documents)["\n  query ApiKeys($workspaceId: ID) {\n    apiKeys(workspaceId: $workspaceId) { ...ApiKeyFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeyScopes {\n    workspaces { id name myRole }\n    knowledgeBases { id name workspaceId }\n  }\n"): (typeof documents)["\n  query ApiKeyScopes {\n    workspaces { id name myRole }\n    knowledgeBases { id name workspaceId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($name: String!, $workspaceId: ID, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int) {\n    createApiKey(\n      name: $name\n      workspaceId: $workspaceId\n      knowledgeBaseIds: $knowledgeBaseIds\n      creditsPerDay: $creditsPerDay\n      requestsPerMinute: $requestsPerMinute\n    ) {\n      key\n      apiKey { ...ApiKeyFields }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($name: String!, $workspaceId: ID, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int) {\n    createApiKey(\n      name: $name\n      workspaceId: $workspaceId\n      knowledgeBaseIds: $knowledgeBaseIds\n      creditsPerDay: $creditsPerDay\n      requestsPerMinute: $requestsPerMinute\n    ) {\n      key\n      apiKey { ...ApiKeyFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { ...ApiKeyFields }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { ...ApiKeyFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditTrailPage($stream: String!, $after: String, $limit: Int) {\n    auditTrail(stream: $stream, after: $after, limit: $limit) { position stream revision type at data metadata }\n  }\n"): (typeof documents)["\n  query AuditTrailPage($stream: String!, $after: String, $limit: Int) {\n    auditTrail(stream: $stream, after: $after, limit: $limit) { position stream revision type at data metadata }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditWalletAt($userId: ID!, $position: String) {\n    walletAt(userId: $userId, position: $position) { userId balance reserved available }\n  }\n"): (typeof documents)["\n  query AuditWalletAt($userId: ID!, $position: String) {\n    walletAt(userId: $userId, position: $position) { userId balance reserved available }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditConversations {\n    conversations { id title createdAt }\n  }\n"): (typeof documents)["\n  query AuditConversations {\n    conversations { id title createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditKnowledgeBases {\n    knowledgeBases { id name }\n  }\n"): (typeof documents)["\n  query AuditKnowledgeBases {\n    knowledgeBases { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) { id name }\n  }\n"): (typeof documents)["\n  query AuditDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($email: String!, $password: String!, $displayName: String) {\n    register(email: $email, password: $password, displayName: $displayName) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n"): (typeof documents)["\n  mutation Register($email: String!, $password: String!, $displayName: String) {\n    register(email: $email, password: $password, displayName: $displayName) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      user { id email displayName role }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatKnowledgeBases {\n    knowledgeBases { id name }\n  }\n"): (typeof documents)["\n  query ChatKnowledgeBases {\n    knowledgeBases { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatConversations {\n    conversations { id title knowledgeBaseId createdAt }\n  }\n"): (typeof documents)["\n  query ChatConversations {\n    conversations { id title knowledgeBaseId createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatConversation($id: ID!) {\n    conversation(id: $id) {\n      id\n      title\n      knowledgeBaseId\n      turns { ...ChatTurnFields }\n    }\n  }\n"): (typeof documents)["\n  query ChatConversation($id: ID!) {\n    conversation(id: $id) {\n      id\n      title\n      knowledgeBaseId\n      turns { ...ChatTurnFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatTurn($id: ID!) {\n    turn(id: $id) { ...ChatTurnFields }\n  }\n"): (typeof documents)["\n  query ChatTurn($id: ID!) {\n    turn(id: $id) { ...ChatTurnFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatAsk($knowledgeBaseId: ID!, $question: String!, $conversationId: ID) {\n    ask(knowledgeBaseId: $knowledgeBaseId, question: $question, conversationId: $conversationId) { ...ChatTurnFields }\n  }\n"): (typeof documents)["\n  mutation ChatAsk($knowledgeBaseId: ID!, $question: String!, $conversationId: ID) {\n    ask(knowledgeBaseId: $knowledgeBaseId, question: $question, conversationId: $conversationId) { ...ChatTurnFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatStopAnswer($turnId: ID!) {\n    stopAnswer(turnId: $turnId) { id status }\n  }\n"): (typeof documents)["\n  mutation ChatStopAnswer($turnId: ID!) {\n    stopAnswer(turnId: $turnId) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatRegenerate($turnId: ID!) {\n    regenerate(turnId: $turnId) { ...ChatTurnFields }\n  }\n"): (typeof documents)["\n  mutation ChatRegenerate($turnId: ID!) {\n    regenerate(turnId: $turnId) { ...ChatTurnFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatRateTurn($turnId: ID!, $rating: Rating!, $comment: String) {\n    rateTurn(turnId: $turnId, rating: $rating, comment: $comment) {\n      id\n      feedback { rating comment at }\n    }\n  }\n"): (typeof documents)["\n  mutation ChatRateTurn($turnId: ID!, $rating: Rating!, $comment: String) {\n    rateTurn(turnId: $turnId, rating: $rating, comment: $comment) {\n      id\n      feedback { rating comment at }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KbChunkFields on Chunk {\n    id\n    documentId\n    knowledgeBaseId\n    revision\n    ordinal\n    text\n    headingPath\n    page\n    tokenCount\n    enabled\n  }\n"): (typeof documents)["\n  fragment KbChunkFields on Chunk {\n    id\n    documentId\n    knowledgeBaseId\n    revision\n    ordinal\n    text\n    headingPath\n    page\n    tokenCount\n    enabled\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KbChunks($documentId: ID!, $limit: Int!, $after: String) {\n    chunks(documentId: $documentId, limit: $limit, after: $after) {\n      ...KbChunkFields\n    }\n  }\n"): (typeof documents)["\n  query KbChunks($documentId: ID!, $limit: Int!, $after: String) {\n    chunks(documentId: $documentId, limit: $limit, after: $after) {\n      ...KbChunkFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KbUpdateChunk($id: ID!, $text: String!) {\n    updateChunk(id: $id, text: $text) {\n      ...KbChunkFields\n    }\n  }\n"): (typeof documents)["\n  mutation KbUpdateChunk($id: ID!, $text: String!) {\n    updateChunk(id: $id, text: $text) {\n      ...KbChunkFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KbSetChunkEnabled($id: ID!, $enabled: Boolean!) {\n    setChunkEnabled(id: $id, enabled: $enabled) {\n      ...KbChunkFields\n    }\n  }\n"): (typeof documents)["\n  mutation KbSetChunkEnabled($id: ID!, $enabled: Boolean!) {\n    setChunkEnabled(id: $id, enabled: $enabled) {\n      ...KbChunkFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KbDocumentFields on Document {\n    id\n    knowledgeBaseId\n    name\n    mediaType\n    sizeBytes\n    status\n    error\n    chunkCount\n    embeddedCount\n    revision\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment KbDocumentFields on Document {\n    id\n    knowledgeBaseId\n    name\n    mediaType\n    sizeBytes\n    status\n    error\n    chunkCount\n    embeddedCount\n    revision\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KbDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n"): (typeof documents)["\n  query KbDocuments($knowledgeBaseId: ID!) {\n    documents(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription KbDocumentStatus($knowledgeBaseId: ID!) {\n    documentStatus(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n"): (typeof documents)["\n  subscription KbDocumentStatus($knowledgeBaseId: ID!) {\n    documentStatus(knowledgeBaseId: $knowledgeBaseId) {\n      ...KbDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KbReindexDocument($id: ID!) {\n    reindexDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n"): (typeof documents)["\n  mutation KbReindexDocument($id: ID!) {\n    reindexDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KbDeleteDocument($id: ID!) {\n    deleteDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n"): (typeof documents)["\n  mutation KbDeleteDocument($id: ID!) {\n    deleteDocument(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KbAddQaPair($knowledgeBaseId: ID!, $question: String!, $answer: String!) {\n    addQaPair(knowledgeBaseId: $knowledgeBaseId, question: $question, answer: $answer) {\n      id\n      documentId\n    }\n  }\n"): (typeof documents)["\n  mutation KbAddQaPair($knowledgeBaseId: ID!, $question: String!, $answer: String!) {\n    addQaPair(knowledgeBaseId: $knowledgeBaseId, question: $question, answer: $answer) {\n      id\n      documentId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KbDocument($id: ID!) {\n    document(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n"): (typeof documents)["\n  query KbDocument($id: ID!) {\n    document(id: $id) {\n      ...KbDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KbListItem on KnowledgeBase {\n    id\n    name\n    description\n    documentCount\n    feedbackUp\n    feedbackDown\n    createdAt\n    workspaceId\n    myRole\n  }\n"): (typeof documents)["\n  fragment KbListItem on KnowledgeBase {\n    id\n    name\n    description\n    documentCount\n    feedbackUp\n    feedbackDown\n    createdAt\n    workspaceId\n    myRole\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KbList {\n    knowledgeBases { ...KbListItem }\n  }\n"): (typeof documents)["\n  query KbList {\n    knowledgeBases { ...KbListItem }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KbCreate($name: String!, $description: String, $workspaceId: ID, $idempotencyKey: String) {\n    createKnowledgeBase(name: $name, description: $description, workspaceId: $workspaceId, idempotencyKey: $idempotencyKey) {\n      ...KbListItem\n    }\n  }\n"): (typeof documents)["\n  mutation KbCreate($name: String!, $description: String, $workspaceId: ID, $idempotencyKey: String) {\n    createKnowledgeBase(name: $name, description: $description, workspaceId: $workspaceId, idempotencyKey: $idempotencyKey) {\n      ...KbListItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KbSearch($knowledgeBaseId: ID!, $query: String!, $limit: Int) {\n    search(knowledgeBaseId: $knowledgeBaseId, query: $query, limit: $limit) {\n      chunkId\n      documentId\n      documentName\n      headingPath\n      score\n      text\n    }\n  }\n"): (typeof documents)["\n  query KbSearch($knowledgeBaseId: ID!, $query: String!, $limit: Int) {\n    search(knowledgeBaseId: $knowledgeBaseId, query: $query, limit: $limit) {\n      chunkId\n      documentId\n      documentName\n      headingPath\n      score\n      text\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TurnTrail($id: ID!) {\n    turn(id: $id) {\n      id\n      trail {\n        events { position stream revision type at amount }\n        model\n        price { promptPer1k completionPer1k }\n        hold\n        retrieved { n documentId documentName revision chunkId score }\n        usage { model promptTokens completionTokens }\n        usageCost\n        settlement\n        charged\n        problems\n      }\n    }\n  }\n"): (typeof documents)["\n  query TurnTrail($id: ID!) {\n    turn(id: $id) {\n      id\n      trail {\n        events { position stream revision type at amount }\n        model\n        price { promptPer1k completionPer1k }\n        hold\n        retrieved { n documentId documentName revision chunkId score }\n        usage { model promptTokens completionTokens }\n        usageCost\n        settlement\n        charged\n        problems\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WalletFigures {\n    wallet { userId balance reserved available }\n  }\n"): (typeof documents)["\n  query WalletFigures {\n    wallet { userId balance reserved available }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WalletLedgerPage($after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    wallet {\n      userId\n      ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n        kind amount balanceAfter reference turnId model promptTokens completionTokens position at\n      }\n    }\n  }\n"): (typeof documents)["\n  query WalletLedgerPage($after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    wallet {\n      userId\n      ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n        kind amount balanceAfter reference turnId model promptTokens completionTokens position at\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WalletUpdated {\n    walletUpdated { userId balance reserved available }\n  }\n"): (typeof documents)["\n  subscription WalletUpdated {\n    walletUpdated { userId balance reserved available }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SpendUsage {\n    usage { day model turns promptTokens completionTokens cost }\n  }\n"): (typeof documents)["\n  query SpendUsage {\n    usage { day model turns promptTokens completionTokens cost }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DepositUsers($search: String, $limit: Int) {\n    users(search: $search, limit: $limit) { id email displayName role }\n  }\n"): (typeof documents)["\n  query DepositUsers($search: String, $limit: Int) {\n    users(search: $search, limit: $limit) { id email displayName role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DepositCredits($userId: ID!, $amount: Micros!, $reference: String!) {\n    deposit(userId: $userId, amount: $amount, reference: $reference) { userId balance reserved available }\n  }\n"): (typeof documents)["\n  mutation DepositCredits($userId: ID!, $amount: Micros!, $reference: String!) {\n    deposit(userId: $userId, amount: $amount, reference: $reference) { userId balance reserved available }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceWallet($id: ID!) {\n    workspace(id: $id) { id wallet { userId balance reserved available } }\n  }\n"): (typeof documents)["\n  query WorkspaceWallet($id: ID!) {\n    workspace(id: $id) { id wallet { userId balance reserved available } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceWalletLedgerPage($id: ID!, $after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    workspace(id: $id) {\n      id\n      wallet {\n        userId\n        ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n          kind amount balanceAfter reference turnId apiKeyId askedBy model promptTokens completionTokens position at\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceWalletLedgerPage($id: ID!, $after: String, $before: String, $newestFirst: Boolean, $limit: Int) {\n    workspace(id: $id) {\n      id\n      wallet {\n        userId\n        ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {\n          kind amount balanceAfter reference turnId apiKeyId askedBy model promptTokens completionTokens position at\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FundWorkspace($workspaceId: ID!, $amount: Micros!, $reference: String!) {\n    fundWorkspace(workspaceId: $workspaceId, amount: $amount, reference: $reference) {\n      id\n      wallet { userId balance reserved available }\n    }\n  }\n"): (typeof documents)["\n  mutation FundWorkspace($workspaceId: ID!, $amount: Micros!, $reference: String!) {\n    fundWorkspace(workspaceId: $workspaceId, amount: $amount, reference: $reference) {\n      id\n      wallet { userId balance reserved available }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceList {\n    workspaces {\n      id\n      name\n      myRole\n      createdAt\n      members { role }\n      knowledgeBases { id }\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceList {\n    workspaces {\n      id\n      name\n      myRole\n      createdAt\n      members { role }\n      knowledgeBases { id }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkspaceDetail on Workspace {\n    id\n    name\n    myRole\n    createdAt\n    members {\n      user { id email displayName }\n      role\n      joinedAt\n    }\n    knowledgeBases { ...KbListItem }\n  }\n"): (typeof documents)["\n  fragment WorkspaceDetail on Workspace {\n    id\n    name\n    myRole\n    createdAt\n    members {\n      user { id email displayName }\n      role\n      joinedAt\n    }\n    knowledgeBases { ...KbListItem }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workspace($id: ID!) {\n    workspace(id: $id) { ...WorkspaceDetail }\n  }\n"): (typeof documents)["\n  query Workspace($id: ID!) {\n    workspace(id: $id) { ...WorkspaceDetail }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name myRole }\n  }\n"): (typeof documents)["\n  mutation CreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name myRole }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMember($workspaceId: ID!, $email: String!, $role: MemberRole!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) { ...WorkspaceDetail }\n  }\n"): (typeof documents)["\n  mutation AddMember($workspaceId: ID!, $email: String!, $role: MemberRole!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) { ...WorkspaceDetail }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId) { ...WorkspaceDetail }\n  }\n"): (typeof documents)["\n  mutation RemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId) { ...WorkspaceDetail }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;