/** The path Chatty clients join on: `/chat/join?name=John&room=<id>`. */
export const JOIN_PATH = '/chat/join';
