import request from 'supertest';

/** Creates a room through the REST API (as a Chatty client does) and returns its id. */
export async function createRoom(baseUrl: string, name = 'Room'): Promise<string> {
  const response = await request(baseUrl)
    .post(`/chat?name=${encodeURIComponent(name)}`)
    .expect(201);
  return (response.body as { id: string }).id;
}
