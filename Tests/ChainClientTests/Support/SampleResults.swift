/// Well-formed results shaped like geth's, for scripted servers and as fuzzing seeds.
enum SampleResults {
    static let hashA = "0x" + String(repeating: "a1", count: 32)
    static let hashB = "0x" + String(repeating: "b2", count: 32)
    static let hashC = "0x" + String(repeating: "c3", count: 32)
    static let address = "0x" + String(repeating: "5e", count: 20)
    static let topic = "0x" + String(repeating: "77", count: 32)

    static func block(number: UInt64, hash: String = hashA) -> String {
        """
        {"number":"0x\(String(number, radix: 16))","hash":"\(hash)","parentHash":"\(hashB)",\
        "timestamp":"0x6553f100","baseFeePerGas":"0x3b9aca00","gasLimit":"0x1c9c380","gasUsed":"0x5208",\
        "miner":"\(address)","transactions":["\(hashC)"],"uncles":[]}
        """
    }

    static func log(blockHash: String = hashA, transactionHash: String = hashC) -> String {
        """
        {"address":"\(address)","topics":["\(topic)"],"data":"0x0102","blockNumber":"0x10",\
        "blockHash":"\(blockHash)","transactionHash":"\(transactionHash)","transactionIndex":"0x0",\
        "logIndex":"0x0","removed":false}
        """
    }

    static func receipt(transactionHash: String = hashC) -> String {
        """
        {"transactionHash":"\(transactionHash)","status":"0x1","blockNumber":"0x10","blockHash":"\(hashA)",\
        "transactionIndex":"0x0","from":"\(address)","to":"\(address)","gasUsed":"0x5208",\
        "cumulativeGasUsed":"0x5208","effectiveGasPrice":"0x3b9aca07","contractAddress":null,\
        "logs":[\(log(transactionHash: transactionHash))]}
        """
    }

    static let transaction = """
        {"hash":"\(hashC)","type":"0x2","nonce":"0x3","from":"\(address)","to":"\(address)","value":"0xde0b6b3a7640000",\
        "gas":"0x5208","input":"0x","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00",\
        "gasPrice":"0x3b9aca07","blockHash":"\(hashA)","blockNumber":"0x10","transactionIndex":"0x0"}
        """

    static let feeHistory = """
        {"oldestBlock":"0xe","baseFeePerGas":["0x3b9aca00","0x342770c0","0x2da282a8"],\
        "gasUsedRatio":[0.5,0.0],"reward":[["0x1","0x2"],["0x0","0x0"]]}
        """
}
